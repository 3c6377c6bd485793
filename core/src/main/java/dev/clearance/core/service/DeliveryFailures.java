package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.policy.Approvers;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.port.Outbox.PendingDelivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What happens when a delivery fails: passing failures retry with exponential backoff (honouring Retry-After);
 * permanent ones, and passing ones that last too long, go on the request's audit trail and to the admins.
 */
final class DeliveryFailures {
    // the delivery log keeps its one name, so a logging setting for NotificationDelivery still covers failures
    private static final Logger LOG = Logger.getLogger(NotificationDelivery.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(10);
    /** About a day of retries before a passing failure is treated as permanent. */
    static final int MAX_ATTEMPTS = 150;

    private final LifecycleContext ctx;

    DeliveryFailures(LifecycleContext ctx) {
        this.ctx = ctx;
    }

    /**
     * A platform refused the message: retried later or given up. {@code writeDone} records, in the same transaction,
     * what did reach a platform before the failure, so it is not posted again.
     */
    void failed(PendingDelivery d, DeliveryException e, Runnable writeDone) {
        OutboundMessage m = d.message();
        int attempts = d.attempts() + 1;
        if (e.isRetryable() && attempts < MAX_ATTEMPTS) {
            Instant next = ctx.now().plus(backoff(attempts, e.retryAfter()));
            LOG.info(() -> "delivery of " + m.kind() + " (" + m.dedupeKey() + ") failed, retry " + attempts
                    + " at " + next + ": " + e.getMessage());
            ctx.transactions().run(() -> {
                writeDone.run(); // what did reach a platform before the failure is not posted again
                ctx.outbox().retryAt(d.id(), next, e.getMessage());
            });
        } else {
            ctx.transactions().run(() -> {
                writeDone.run();
            });
            giveUp(d, e.getMessage());
        }
    }

    /** A bug or a store failure, not the platform's answer: retried with backoff, never given up. */
    void failedUnexpectedly(PendingDelivery d, RuntimeException e, Runnable writeDone) {
        LOG.log(Level.WARNING, "delivery of " + d.message().dedupeKey() + " failed unexpectedly", e);
        Instant next = ctx.now().plus(backoff(d.attempts() + 1, Optional.empty()));
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        try {
            ctx.transactions().run(() -> {
                writeDone.run();
                ctx.outbox().retryAt(d.id(), next, error);
            });
        } catch (RuntimeException writing) {
            // the failure may have been the write of what was done: at least the retry is kept
            ctx.outbox().retryAt(d.id(), next, error);
        }
    }

    private void giveUp(PendingDelivery d, String error) {
        OutboundMessage m = d.message();
        LOG.warning(() -> "giving up delivery of " + m.kind() + " (" + m.dedupeKey() + "): " + error);
        ctx.outbox().failed(d.id(), ctx.now(), error);
        m.requestId().flatMap(id -> ctx.store().find(id)).ifPresent(r -> recordFailure(r, m.recipient().orElse(null),
                m.kind(), "could not deliver " + m.kind() + " to " + m.recipient().map(UserEmail::value)
                        .orElse(m.params().getOrDefault(OutboundMessage.CONVERSATION, "?"))
                        + ": " + error));
    }

    /** On the audit trail, and (unless the failed message was itself an admin alert) to the admins. */
    void recordFailure(AccessRequest r, UserEmail recipient, NotificationKind kind, String what) {
        Instant now = ctx.now();
        ctx.transactions().run(() -> {
            ctx.store().appendAudit(r.id(), new AuditEvent(now, AuditEvent.SYSTEM, r.status(), r.status(), what,
                    Origin.SYSTEM));
            if (!kind.isAdminAlert()) {
                Approvers approvers = ctx.approvers();
                for (UserEmail admin : approvers.admins(r.scope())) {
                    if (!admin.equals(recipient)) {
                        ctx.outbox().enqueue(new OutboundMessage(NotificationKind.ADMIN_DELIVERY_FAILED,
                                Optional.of(r.id()), Optional.of(admin),
                                r.id() + ":delivery-failed:" + kind + ":" + recipient + ":" + admin,
                                Map.of("error", what)));
                    }
                }
            }
        });
    }

    /** Exponential backoff with jitter, never sooner than the platform's Retry-After. */
    static Duration backoff(int attempt, Optional<Duration> retryAfter) {
        long base = FIRST_RETRY.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, LONGEST_RETRY.toMillis());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        Duration d = Duration.ofMillis(jittered);
        return retryAfter.filter(ra -> ra.compareTo(d) > 0).orElse(d);
    }
}
