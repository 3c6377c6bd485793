package dev.clearance.app.api;

/** Request bodies of /api/v1, as received; the application services validate every field and name the bad one. */
final class ApiBodies {
    private ApiBodies() {
    }

    record Intake(String requester, String resource, String account, String scope, String duration,
                  String justification, String source) {
    }

    record Justification(String actor, String justification, String duration) {
    }

    record Actor(String actor) {
    }

    record Decision(String approver, String decision, String reason, String duration) {
    }

    record Revoke(String actor, String reason) {
    }

    record Extension(String actor, String duration, String justification) {
    }

    record DisabledService(String user, String service, String account) {
    }
}
