package dev.clearance.core.service;

import dev.clearance.core.model.Origin;

import java.util.Optional;

/**
 * Inputs of the application services, as received (strings); the services validate and name bad fields. Each carries
 * the {@link Origin} its channel authenticated, recorded on the audit trail beside the person.
 */
public final class Commands {
    private Commands() {
    }

    public record Intake(String requester, String resource, String account, Optional<String> scope,
                         Optional<String> duration, Optional<String> justification, Optional<String> source,
                         Optional<String> idempotencyKey, Origin origin) {
        public Intake {
            java.util.Objects.requireNonNull(origin, "origin");
        }
    }

    public record Justify(String requestId, String actor, String justification, Optional<String> duration,
                          Origin origin) {
        public Justify {
            java.util.Objects.requireNonNull(origin, "origin");
        }
    }

    public enum Verdict { APPROVE, DENY }

    public record Decide(String requestId, String approver, String decision, String reason, Optional<String> duration,
                         Origin origin) {
        public Decide {
            java.util.Objects.requireNonNull(origin, "origin");
        }
    }

    /** More time for an active grant: creates an extension request, decided under the grant's policy. */
    public record Extend(String requestId, String actor, String duration, String justification, Origin origin) {
        public Extend {
            java.util.Objects.requireNonNull(origin, "origin");
        }
    }

    public record DisabledService(String user, String service, String account, Origin origin) {
        public DisabledService {
            java.util.Objects.requireNonNull(origin, "origin");
        }
    }
}
