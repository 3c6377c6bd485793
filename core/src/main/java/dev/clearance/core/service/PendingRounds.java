package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.port.TimerKind;

import java.time.Instant;
import java.util.Map;

/** What a request waiting for its approvers has running: its deadline and escalation timers, and the approvers' pings. */
final class PendingRounds {
    private final LifecycleContext ctx;
    private final Messages messages;

    PendingRounds(LifecycleContext ctx, Messages messages) {
        this.ctx = ctx;
        this.messages = messages;
    }

    /** Timers and approver pings for a request that just entered PENDING. */
    void entered(AccessRequest r, Policy policy, Instant now) {
        ctx.timers().schedule(r.id(), TimerKind.PENDING_EXPIRY, r.pendingDeadline().orElseThrow());
        scheduleEscalation(r, now);
        pingStep(r, policy);
    }

    /** The next step's round: its escalation clock starts again and its approvers are asked. */
    void nextStep(AccessRequest r, Policy policy, Instant now) {
        scheduleEscalation(r, now);
        pingStep(r, policy);
    }

    /** The current step's approvers: in the scope's approval channels when it has any, else each by direct message. */
    private void pingStep(AccessRequest r, Policy policy) {
        Map<String, String> channels = ctx.config().tree().approvalChannels(r.scope());
        if (channels.isEmpty()) {
            messages.approvalRequests(r, RequestPermissions.stepRecipients(r, policy, ctx.approvers()), "e0");
        } else {
            messages.approvalRequestsToChannels(r, channels, "e0");
        }
    }

    private void scheduleEscalation(AccessRequest r, Instant now) {
        Instant next = now.plus(ctx.config().intervals().escalationInterval());
        if (next.isBefore(r.pendingDeadline().orElseThrow())) {
            ctx.timers().schedule(r.id(), TimerKind.ESCALATION, next);
        } else {
            ctx.timers().cancel(r.id(), TimerKind.ESCALATION);
        }
    }

    /** The request left REQUESTED or PENDING: nothing waits on it any more. */
    void ended(AccessRequest r) {
        ctx.timers().cancel(r.id(), TimerKind.JUSTIFICATION_EXPIRY);
        ctx.timers().cancel(r.id(), TimerKind.PENDING_EXPIRY);
        ctx.timers().cancel(r.id(), TimerKind.ESCALATION);
    }
}
