package dev.clearance.core.service;

import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;

import java.util.Optional;

/**
 * Inputs of the application services. Who acts and which request are typed, parsed once where the input arrives
 * ({@link UserEmail#parse}, {@link RequestId#parse}: the same refusals naming the field); the rest is as received, and
 * the services validate and name bad fields. Each carries the {@link Origin} its channel authenticated, recorded on the
 * audit trail beside the person.
 */
public final class Commands {
    private Commands() {
    }

    public record Intake(UserEmail requester, String resource, String account, Optional<String> scope,
                         Optional<String> duration, Optional<String> justification, Optional<String> source,
                         Optional<String> idempotencyKey, Origin origin) {
        public Intake {
            java.util.Objects.requireNonNull(origin, "origin");
        }
    }

    public record Justify(RequestId requestId, UserEmail actor, String justification, Optional<String> duration,
                          Origin origin) {
        public Justify {
            java.util.Objects.requireNonNull(origin, "origin");
        }
    }

    public enum Verdict { APPROVE, DENY }

    public record Decide(RequestId requestId, UserEmail approver, String decision, String reason, Optional<String> duration,
                         Origin origin) {
        public Decide {
            java.util.Objects.requireNonNull(origin, "origin");
        }
    }

    /** More time for an active grant: creates an extension request, decided under the grant's policy. */
    public record Extend(RequestId requestId, UserEmail actor, String duration, String justification, Origin origin) {
        public Extend {
            java.util.Objects.requireNonNull(origin, "origin");
        }
    }

    public record DisabledService(UserEmail user, String service, String account, Origin origin) {
        public DisabledService {
            java.util.Objects.requireNonNull(origin, "origin");
        }
    }
}
