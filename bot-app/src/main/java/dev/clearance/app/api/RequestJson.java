package dev.clearance.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.Vote;
import dev.clearance.core.view.RequestView;
import dev.clearance.core.service.RequestViews;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's view of a request. On an extension request, {@code extensionOf} names the request whose grant it extends,
 * and {@code grant.expiresAt} is that grant's end (the current one while pending, the new one once approved).
 * {@code maxTotalDuration}: the policy's cap on a grant and all its extensions, from when access was granted;
 * {@code remainingTotal} (ISO-8601, e.g. {@code PT47H}): how much longer the active grant (on an extension, the grant it
 * extends) may still be extended under that cap; absent when the grant is not active or the cap is until revoked.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RequestJson(String id, String status, String requester, String requesterName, String resource, String account,
                   String scope, String source, String policy, String requestedDuration, String approvedDuration,
                   String maxDuration, String justification, Integer currentStep, List<Step> steps,
                   int escalationLevel, Instant createdAt, Instant justificationDeadline, Instant pendingDeadline,
                   String decidedBy, Instant decidedAt, String decisionReason, Grant grant, List<Audit> audit,
                   String extensionOf, String maxTotalDuration, String remainingTotal) {

    record Step(int number, String name, int required, List<Approval> approvals) {
    }

    record Approval(String approver, Instant at, String reason, String duration) {
    }

    /** @param providerReference the access provider's own ids for what it did (e.g. assignment request ids) */
    record Grant(String state, Instant grantedAt, Instant expiresAt, String providerReference) {
    }

    /** {@code channel} and {@code principal}: how the change arrived, e.g. {@code api} and the token's name. */
    record Audit(Instant at, String actor, String from, String to, String reason, String channel, String principal) {
    }

    static RequestJson of(AccessRequest r, RequestViews views, boolean withAudit) {
        RequestView v = views.of(r);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < v.steps().size(); i++) {
            steps.add(new Step(i + 1, v.steps().get(i).name(), v.steps().get(i).required(),
                    r.votesAt(i).stream().map(RequestJson::approval).toList()));
        }
        return new RequestJson(r.id().value(), r.status().name(), r.requester().value(), v.requesterName(), r.resource(),
                r.account(), r.scope().value(), r.source(), v.policy(), r.requestedDuration().toString(),
                r.approvedDuration().map(AccessDuration::toString).orElse(null), v.maxDuration().toString(),
                r.justification().orElse(null), r.status().name().equals("PENDING") ? r.currentStep() + 1 : null, steps,
                r.escalationLevel(), r.createdAt(), r.justificationDeadline().orElse(null), r.pendingDeadline().orElse(null),
                r.decidedBy().orElse(null), r.decidedAt().orElse(null), r.decisionReason().orElse(null),
                new Grant(r.grantState().name(), r.grantedAt().orElse(null), r.expiresAt().orElse(null),
                        r.providerReference().orElse(null)),
                withAudit ? r.history().stream().map(RequestJson::audit).toList() : null,
                r.extensionOf().map(dev.clearance.core.model.RequestId::value).orElse(null),
                v.maxTotalDuration().toString(), v.remainingTotal().map(java.time.Duration::toString).orElse(null));
    }

    private static Approval approval(Vote v) {
        return new Approval(v.approver().value(), v.at(), v.reason(),
                v.durationOverride() == null ? null : v.durationOverride().toString());
    }

    private static Audit audit(AuditEvent e) {
        return new Audit(e.at(), e.actor(), e.from() == null ? null : e.from().name(), e.to().name(), e.reason(),
                e.via().map(o -> o.channel()).orElse(null), e.via().flatMap(o -> o.principalIfAny()).orElse(null));
    }
}
