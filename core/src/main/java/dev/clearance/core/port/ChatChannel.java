package dev.clearance.core.port;

import dev.clearance.core.model.Person;
import dev.clearance.core.notify.Notification;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** One chat platform (Slack, Teams, or the log). Implemented once per platform; generic code never asks which. */
public interface ChatChannel {
    /** Short, stable name stored in message references: {@code slack}, {@code teams}, {@code log}. */
    String name();

    /**
     * Whether this platform can reach the person (known chat identity or conversation). May ask the platform;
     * a passing failure there is a retryable {@link DeliveryException}, never a silent "no".
     */
    boolean reaches(Person person) throws DeliveryException;

    /** Posts a new message to the person and returns where it went. */
    MessageRef post(Person recipient, Notification notification) throws DeliveryException;

    /** Posts to a shared channel of this platform (an approval channel). Platforms without them refuse. */
    default MessageRef postToConversation(String conversationId, Notification notification) throws DeliveryException {
        throw DeliveryException.permanent(name() + " cannot post to shared channels");
    }

    /**
     * A message this bot posted to the person with {@code dedupeKey} (see {@link Notification#DEDUPE_KEY}) since
     * {@code since}. Asked only for a post whose outcome is unknown: the process that made it died before recording
     * it. Empty when there is none, or when the platform cannot tell (then the message is posted again).
     */
    default Optional<MessageRef> findPosted(Person recipient, String dedupeKey, Instant since) throws DeliveryException {
        return Optional.empty();
    }

    /** The same for a shared channel (an approval channel). */
    default Optional<MessageRef> findPostedInConversation(String conversationId, String dedupeKey, Instant since)
            throws DeliveryException {
        return Optional.empty();
    }

    /**
     * A digest of exactly what this channel would send for {@code notification}; equal digests mean an update would
     * change nothing, so it is not sent. Empty when the channel cannot tell (then every update is sent).
     */
    default Optional<String> fingerprint(Notification notification) {
        return Optional.empty();
    }

    /** Replaces a message posted earlier with a fresh rendering. */
    void update(MessageRef ref, Notification notification) throws DeliveryException;

    class DeliveryException extends Exception {
        private final boolean retryable;
        private final Duration retryAfter;

        private DeliveryException(String message, boolean retryable, Duration retryAfter) {
            super(message);
            this.retryable = retryable;
            this.retryAfter = retryAfter;
        }

        /** A passing failure (rate limit, 5xx, timeout); {@code retryAfter} when the platform said how long to wait. */
        public static DeliveryException retryable(String message, Duration retryAfter) {
            return new DeliveryException(message, true, retryAfter);
        }

        /** A failure retrying cannot fix (unknown user, blocked bot, channel gone). */
        public static DeliveryException permanent(String message) {
            return new DeliveryException(message, false, null);
        }

        public boolean isRetryable() {
            return retryable;
        }

        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }
}
