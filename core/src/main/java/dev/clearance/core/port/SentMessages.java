package dev.clearance.core.port;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;

import java.util.List;

/** Where each message went, as neutral (channel, conversation, message) references. */
public interface SentMessages {
    void record(SentMessage message);

    /** Live copies of a request, to update when it changes. */
    List<SentMessage> liveCopies(RequestId id);

    /** Whether this outbox message was already posted on this channel (a retry must not post again). */
    boolean alreadyPosted(String dedupeKey, String channel);

    /** Remembers the digest of what was just sent to this copy (see {@link ChatChannel#fingerprint}). */
    void rendered(MessageRef ref, String digest);

    /**
     * @param recipient      null for a post to a shared channel
     * @param renderedDigest what was last sent to this copy, when the channel can tell; null otherwise
     */
    record SentMessage(RequestId requestId, UserEmail recipient, NotificationKind kind, MessageRef ref, String dedupeKey,
                       String renderedDigest) {
    }
}
