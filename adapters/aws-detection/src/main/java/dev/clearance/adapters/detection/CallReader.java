package dev.clearance.adapters.detection;

import dev.clearance.core.detect.DeniedCall;

/**
 * Reads one queue message (an EventBridge "AWS API Call via CloudTrail" event) into the call it records. The
 * consumer deletes a message only after what the call caused is committed; a message this cannot read is left to the
 * queue's redrive policy.
 */
public interface CallReader {
    /**
     * The call the event records.
     *
     * @throws UnreadableEventException the message is not JSON, or not a CloudTrail API call event: it never will be
     *                                  readable, so the consumer leaves it for the dead-letter queue
     * @throws RuntimeException         a passing failure (the identity store unreachable): the message is retried
     */
    DeniedCall read(String messageBody) throws UnreadableEventException;

    /** A message that is not, and never will be, a readable CloudTrail API call event. */
    final class UnreadableEventException extends Exception {
        public UnreadableEventException(String message) {
            super(message);
        }

        public UnreadableEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
