package dev.clearance.core.service;

import java.util.Optional;

/** Inputs of the application services, as received (strings); the services validate and name bad fields. */
public final class Commands {
    private Commands() {
    }

    public record Intake(String requester, String resource, String account, Optional<String> scope,
                         Optional<String> duration, Optional<String> justification, Optional<String> source,
                         Optional<String> idempotencyKey) {
    }

    public record Justify(String requestId, String actor, String justification, Optional<String> duration) {
    }

    public enum Verdict { APPROVE, DENY }

    public record Decide(String requestId, String approver, String decision, String reason, Optional<String> duration) {
    }

    /** More time for an active grant: creates an extension request, decided under the grant's policy. */
    public record Extend(String requestId, String actor, String duration, String justification) {
    }

    public record DisabledService(String user, String service, String account) {
    }
}
