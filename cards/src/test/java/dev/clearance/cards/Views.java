package dev.clearance.cards;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Status;
import dev.clearance.core.view.RequestView;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Request views in the states the renderers must handle. */
public final class Views {
    public static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private Views() {
    }

    public static RequestView requested() {
        return view(Status.REQUESTED, 0, List.of(), Optional.empty(), 0, Optional.empty(), Optional.empty(), GrantState.NONE);
    }

    public static RequestView pendingStep2Escalated() {
        return view(Status.PENDING, 1, List.of("sam@example.com", "sue@example.com"), Optional.of("INC-4711: clean up the broken bucket"),
                1, Optional.empty(), Optional.empty(), GrantState.NONE);
    }

    public static RequestView approved() {
        return view(Status.APPROVED, 1, List.of("sam@example.com", "sue@example.com"), Optional.of("INC-4711"), 0,
                Optional.of("pat@example.com"), Optional.of("checked with the on-call"), GrantState.ACTIVE);
    }

    public static RequestView denied() {
        return view(Status.DENIED, 0, List.of(), Optional.of("INC-4711"), 0, Optional.of("sam@example.com"),
                Optional.of("use the runbook instead"), GrantState.NONE);
    }

    public static RequestView withJustification(String justification) {
        return view(Status.PENDING, 0, List.of(), Optional.of(justification), 0, Optional.empty(), Optional.empty(), GrantState.NONE);
    }

    /** An extension of an active grant, waiting for its first step; the grant ends at T0 + 3 h. */
    public static RequestView pendingExtension() {
        return view(Status.PENDING, 0, List.of(), Optional.of("INC-4711: the migration needs another hour"), 0,
                Optional.empty(), Optional.empty(), GrantState.NONE, Optional.of("REQ-0000000001"));
    }

    /** The params of an {@code ADMIN_SCOPE_MISMATCH} alert: a request filed in the sandbox for the production account. */
    public static java.util.Map<String, String> scopeMismatch() {
        return java.util.Map.of("id", "REQ-0000000007", "status", "APPROVED", "requester", "bob@example.com",
                "resource", "logs:GetLogEvents", "account", "123456789012", "scope", "org/sandbox", "expected", "org/prod");
    }

    private static RequestView view(Status status, int step, List<String> step1Votes, Optional<String> justification,
                                    int escalation, Optional<String> decidedBy, Optional<String> reason, GrantState grant) {
        return view(status, step, step1Votes, justification, escalation, decidedBy, reason, grant, Optional.empty());
    }

    private static RequestView view(Status status, int step, List<String> step1Votes, Optional<String> justification,
                                    int escalation, Optional<String> decidedBy, Optional<String> reason, GrantState grant,
                                    Optional<String> extensionOf) {
        List<RequestView.StepView> steps = List.of(
                new RequestView.StepView("Security review", 2, step1Votes),
                new RequestView.StepView("Account owner", 1, status == Status.APPROVED ? List.of("pat@example.com") : List.of()));
        List<AuditEvent> audit = escalation > 0
                ? List.of(new AuditEvent(T0.plusSeconds(7200), "system", status, status, "escalated to level 1"))
                : List.of();
        return new RequestView("REQ-0123456789", status, "alice@example.com", "Alice Requester", "s3:DeleteBucket",
                "123456789012", "org/prod", "api", "prod-destructive", steps, step, AccessDuration.parse("4h"),
                status == Status.APPROVED ? Optional.of(AccessDuration.parse("2h")) : Optional.empty(), AccessDuration.parse("8h"),
                AccessDuration.menuUpTo(AccessDuration.parse("8h")), justification, T0,
                Optional.of(T0.plusSeconds(86_400)), status == Status.REQUESTED ? Optional.empty() : Optional.of(T0.plusSeconds(600)),
                status == Status.REQUESTED ? Optional.empty() : Optional.of(T0.plusSeconds(600 + 86_400)), escalation, decidedBy,
                decidedBy.map(d -> d.startsWith("pat") ? "Pat Prod-Owner" : "Sam Security"), decidedBy.map(d -> T0.plusSeconds(3600)),
                reason, grant, grant == GrantState.ACTIVE ? Optional.of(T0.plusSeconds(3700)) : Optional.empty(),
                grant == GrantState.ACTIVE ? Optional.of(T0.plusSeconds(3700 + 7200))
                        : extensionOf.isPresent() ? Optional.of(T0.plusSeconds(3 * 3600)) : Optional.empty(), audit,
                status == Status.PENDING ? List.of("pat@example.com", "pia@example.com") : List.of(), extensionOf,
                grant == GrantState.ACTIVE ? Optional.of("grant: assignment creation 1ce4f56b-7d2a-4c3e-9f10-2b3c4d5e6f70") : Optional.empty(),
                AccessDuration.parse("16h"), grant == GrantState.ACTIVE || extensionOf.isPresent()
                        ? Optional.of(java.time.Duration.ofHours(14)) : Optional.empty(), 0);
    }

    /** {@code v} with {@code left} of its policy's total (16 h) still to extend by. */
    public static RequestView withRemainingTotal(RequestView v, java.time.Duration left) {
        return new RequestView(v.id(), v.status(), v.requesterEmail(), v.requesterName(), v.resource(), v.account(),
                v.scope(), v.source(), v.policy(), v.steps(), v.currentStep(), v.requestedDuration(), v.approvedDuration(),
                v.maxDuration(), v.durationChoices(), v.justification(), v.createdAt(), v.justificationDeadline(),
                v.pendingSince(), v.pendingDeadline(), v.escalationLevel(), v.decidedBy(), v.decidedByName(), v.decidedAt(),
                v.decisionReason(), v.grantState(), v.grantedAt(), v.expiresAt(), v.audit(), v.canDecideNow(),
                v.extensionOf(), v.providerReference(), v.maxTotalDuration(), Optional.of(left), v.moreAttempts());
    }

    /** {@code v} as the CloudTrail detector opened it, with {@code attempts} more attempts counted on it. */
    public static RequestView detected(RequestView v, int attempts) {
        return new RequestView(v.id(), v.status(), v.requesterEmail(), v.requesterName(), v.resource(), v.account(),
                v.scope(), "cloudtrail: s3:DeleteBucket denied on arn:aws:s3:::audit-logs in eu-west-1 at 2026-03-02T08:59:12Z"
                + " (event 3f1d4e0c-8c55-4d8b-9a77-5f0c9d1e2a11)", v.policy(), v.steps(), v.currentStep(),
                v.requestedDuration(), v.approvedDuration(), v.maxDuration(), v.durationChoices(), v.justification(),
                v.createdAt(), v.justificationDeadline(), v.pendingSince(), v.pendingDeadline(), v.escalationLevel(),
                v.decidedBy(), v.decidedByName(), v.decidedAt(), v.decisionReason(), v.grantState(), v.grantedAt(),
                v.expiresAt(), v.audit(), v.canDecideNow(), v.extensionOf(), v.providerReference(), v.maxTotalDuration(),
                v.remainingTotal(), attempts);
    }
}
