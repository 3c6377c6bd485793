package dev.clearance.core.port;

import dev.clearance.core.notify.OutboundMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Messages waiting for delivery; written in the transaction of the change that caused them. */
public interface Outbox {
    /** Adds a message; a message whose dedupe key is already present is ignored. */
    void enqueue(OutboundMessage message);

    /** Claims up to {@code limit} due messages for {@code lease}, so that no other dispatcher delivers them meanwhile. */
    List<PendingDelivery> claimDue(Instant now, int limit, Duration lease);

    /**
     * Extends, to {@code now + lease}, the claims this dispatcher still holds. The live owner renews; a dead
     * owner's claims run out within one lease and another dispatcher takes the messages over.
     */
    default void renewClaims(Instant now, Duration lease) {
    }

    /**
     * At a clean stop, after the dispatcher finished its last batch: gives up whatever claims it still holds, so
     * that another dispatcher (or this one after a restart) delivers those messages at once, not as in doubt.
     */
    default void releaseClaims() {
    }

    void delivered(long id, Instant at);

    void retryAt(long id, Instant next, String error);

    void failed(long id, Instant at, String error);

    /** Messages not yet delivered or failed. */
    long backlog();

    /**
     * A claimed message. {@code inDoubtSince} is set (to when the message was enqueued) when an earlier claim on it
     * ran out unfinished (that dispatcher died, perhaps after the platform took the post and before it was recorded),
     * or an earlier attempt failed in a way that does not say whether the platform took it (a timeout).
     */
    record PendingDelivery(long id, OutboundMessage message, int attempts, Optional<Instant> inDoubtSince) {
    }
}
