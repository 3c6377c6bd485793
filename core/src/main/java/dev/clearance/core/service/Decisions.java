package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.model.Vote;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.port.TimerKind;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * An approver's decision: a deny ends the request; approvals complete a step once it has its required distinct
 * approvers, the next step's approvers are asked, and the last step approves the request (its grant is then due) or,
 * for an extension, moves the end of the grant it extends.
 */
final class Decisions {
    private final LifecycleContext ctx;
    private final Messages messages;
    private final Extensions extensions;
    private final PendingRounds pending;

    Decisions(LifecycleContext ctx, Messages messages, Extensions extensions, PendingRounds pending) {
        this.ctx = ctx;
        this.messages = messages;
        this.extensions = extensions;
        this.pending = pending;
    }

    AccessRequest decide(Commands.Decide cmd) {
        RequestId id = cmd.requestId();
        UserEmail approver = cmd.approver();
        Commands.Verdict verdict = parseVerdict(cmd.decision());
        String reason = Inputs.requireText("reason", cmd.reason(), Inputs.MAX_TEXT);
        return RequestChanges.existing(ctx, id, cmd.origin(), r -> {
            Policy policy = ctx.config().policyOf(r);
            Optional<AccessDuration> override = verdict == Commands.Verdict.APPROVE
                    ? Inputs.approverDuration("duration", cmd.duration(), policy) : Optional.empty();
            Instant now = ctx.now();
            // NB: who may do this, and in which state, is the one rule of RequestPermissions, asked of the
            // request as stored now; a refusal changes nothing.
            RequestPermissions.of(r, approver, ctx).require(verdict == Commands.Verdict.APPROVE
                    ? RequestPermissions.Action.APPROVE : RequestPermissions.Action.DENY);
            if (verdict == Commands.Verdict.DENY) {
                deny(r, approver, reason, now);
            } else {
                approve(r, policy, approver, reason, override, now);
            }
            return r;
        });
    }

    private void deny(AccessRequest r, UserEmail approver, String reason, Instant now) {
        r.deny(approver.value(), now, reason);
        ctx.store().update(r);
        pending.ended(r);
        ctx.metrics().decided("denied", Duration.between(r.pendingSince().orElse(now), now));
        messages.toRequester(r, NotificationKind.REQUEST_DENIED);
        messages.refreshCopies(r, "denied");
        if (r.isExtension()) {
            extensions.noteOnOriginal(r, approver.value(), now, "extension " + r.id() + " denied by " + approver + ": " + reason);
        }
    }

    private void approve(AccessRequest r, Policy policy, UserEmail approver, String reason,
                         Optional<AccessDuration> override, Instant now) {
        if (r.isExtension() && override.isPresent()) {
            // NB: an override on an extension has an end and fits the policy's total, refused before the vote counts.
            Extensions.requireFits("duration", override.get(), policy, extensions.original(r));
        }
        int step = r.currentStep();
        int required = policy.step(step).required();
        int count = r.recordApproval(new Vote(step, approver, now, reason, override.orElse(null)),
                n -> "approved " + policy.step(step).label(step) + " (" + n + "/" + required + ")"
                        + override.map(d -> ", duration " + d).orElse("") + ": " + reason);
        if (count < required) {
            ctx.store().update(r);
            messages.refreshCopies(r, "vote-" + approver);
            return;
        }
        if (!policy.isLastStep(step)) {
            r.advanceStep();
            ctx.store().update(r);
            pending.nextStep(r, policy, now);
            messages.refreshCopies(r, "step-" + r.currentStep());
            return;
        }
        AccessDuration duration = r.votes().stream().map(Vote::durationOverride).filter(d -> d != null)
                .reduce((first, second) -> second).orElse(r.requestedDuration());
        if (r.isExtension()) {
            extensions.approve(r, approver, reason, duration, now);
            pending.ended(r);
        } else {
            r.approve(approver.value(), duration, now, reason);
            ctx.store().update(r);
            pending.ended(r);
            ctx.timers().schedule(r.id(), TimerKind.GRANT, now);
        }
        ctx.metrics().decided("approved", Duration.between(r.pendingSince().orElse(now), now));
        messages.toRequester(r, NotificationKind.REQUEST_APPROVED);
        messages.refreshCopies(r, "approved");
    }

    private static Commands.Verdict parseVerdict(String decision) {
        if (decision != null) {
            String d = decision.trim().toLowerCase(Locale.ROOT);
            if (d.equals("approve")) {
                return Commands.Verdict.APPROVE;
            }
            if (d.equals("deny")) {
                return Commands.Verdict.DENY;
            }
        }
        throw new InvalidInputException("decision", "decision must be \"approve\" or \"deny\"");
    }
}
