package dev.clearance.core.detect;

import dev.clearance.core.model.RequestId;

/** What the detector did with one denied call. */
public sealed interface Verdict {
    /** A short label for metrics and logs. */
    String label();

    /** A protected permission was denied: a request was opened (or the event's own earlier delivery had opened it). */
    record Opened(RequestId request, String policy) implements Verdict {
        public String label() {
            return "opened";
        }
    }

    /** A request for the same person, permission and account is active: the attempt is counted on it. */
    record Counted(RequestId request, int attempts) implements Verdict {
        public String label() {
            return "counted";
        }
    }

    /** A disabled service was called: the person gets the notice (at most once a day per service and account). */
    record Noticed(String service) implements Verdict {
        public String label() {
            return "notice";
        }
    }

    /** The event was acted on before (a redelivery): nothing changes. */
    record Duplicate(String eventId) implements Verdict {
        public String label() {
            return "duplicate";
        }
    }

    /** Nothing to do; {@code reason} is the metric label, {@code why} says it for a person. */
    record Ignored(String reason, String why) implements Verdict {
        public String label() {
            return "ignored";
        }
    }
}
