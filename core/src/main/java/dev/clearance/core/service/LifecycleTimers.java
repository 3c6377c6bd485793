package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.policy.Approvers;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.TimerKind;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What happens when a durable timer fires. A timer carries only the request id: the state is re-read, and a timer
 * whose request moved on (decided, cancelled, a newer deadline) does nothing.
 */
public final class LifecycleTimers {
    private final LifecycleContext ctx;
    private final Messages messages;
    private final Extensions extensions;
    private final ProviderTimers providerTimers;
    private final Reconciliation reconciliation;
    private final ProviderCalls calls;

    public LifecycleTimers(LifecycleContext ctx, AccessProvider provider) {
        this.ctx = ctx;
        this.messages = new Messages(ctx.outbox());
        this.extensions = new Extensions(ctx, messages);
        this.providerTimers = new ProviderTimers(ctx, provider, messages, extensions);
        this.reconciliation = new Reconciliation(ctx, provider);
        this.calls = new ProviderCalls(ctx, provider);
    }

    /**
     * Runs the timer; {@code dueAt} is when it was scheduled for. The timer acts as of the later of now and
     * {@code dueAt}: Quartz fires a trigger up to a few milliseconds before its time, and a revocation that compared
     * such an early "now" with the grant's end found it not yet due and did nothing, so the access was never taken
     * away (1 to 2% of 1,000 grants ending together, found by the revocation benchmark).
     */
    public void fire(RequestId id, TimerKind kind, Instant dueAt) {
        Instant at = later(ctx.now(), dueAt);
        ctx.metrics().timerFired(kind, Duration.between(dueAt, at));
        switch (kind) {
            case JUSTIFICATION_EXPIRY -> change(id, r -> expireJustification(r, at));
            case PENDING_EXPIRY -> change(id, r -> expirePending(r, at));
            case ESCALATION -> change(id, r -> escalate(r, at));
            case GRANT -> providerTimers.grant(id);
            case REVOKE -> providerTimers.revoke(id, dueAt);
            case EXPIRY_NOTICE -> change(id, r -> noticeExpiry(r, at));
            case EXTEND -> providerTimers.tellProviderOfExtension(id);
            case RECONCILE -> reconciliation.reconcileRequest(id, false);
            case RECONCILE_CONFIRM -> reconciliation.reconcileRequest(id, true);
        }
    }

    private static Instant later(Instant a, Instant b) {
        return ProviderTimers.later(a, b);
    }

    private void expireJustification(AccessRequest r, Instant now) {
        if (r.status() != Status.REQUESTED || now.isBefore(r.justificationDeadline().orElseThrow())) {
            return;
        }
        r.expireJustification(now, "no justification within "
                + Spans.of(ctx.config().intervals().justificationWindow()));
        ctx.store().update(r);
        messages.toRequester(r, NotificationKind.REQUEST_ABANDONED_EXPIRED);
        messages.refreshCopies(r, "abandoned-expired");
    }

    private void expirePending(AccessRequest r, Instant now) {
        if (r.status() != Status.PENDING || now.isBefore(r.pendingDeadline().orElseThrow())) {
            return;
        }
        r.expire(now, "no decision within "
                + Spans.of(ctx.config().intervals().pendingWindow()));
        ctx.store().update(r);
        ctx.timers().cancel(r.id(), TimerKind.ESCALATION);
        ctx.metrics().decided("expired", Duration.between(r.pendingSince().orElse(now), now));
        messages.toRequester(r, NotificationKind.REQUEST_EXPIRED);
        messages.refreshCopies(r, "expired");
        if (r.isExtension()) {
            extensions.noteOnOriginal(r, AuditEvent.SYSTEM, now, "extension " + r.id() + " expired without a decision");
        }
    }

    private void escalate(AccessRequest r, Instant now) {
        if (r.status() != Status.PENDING || !now.isBefore(r.pendingDeadline().orElseThrow())) {
            return;
        }
        ClearanceConfig config = ctx.config();
        Policy policy = config.policyOf(r);
        r.escalate();
        Approvers approvers = ctx.approvers();
        Set<UserEmail> recipients = RequestPermissions.actionable(r, policy,
                approvers.escalationRecipients(policy, r.currentStep(), r.scope(), r.escalationLevel()));
        Duration waiting = Duration.between(r.pendingSince().orElse(now), now);
        r.record(AuditEvent.SYSTEM, now, "escalated to level " + r.escalationLevel() + " after " + Spans.of(waiting)
                + " without a decision; notified " + String.join(", ", recipients.stream().map(UserEmail::value).toList()));
        ctx.store().update(r);
        messages.approvalRequests(r, recipients, "e" + r.escalationLevel());
        messages.refreshCopies(r, "escalated-s" + r.currentStep() + "-e" + r.escalationLevel());
        Instant next = now.plus(config.intervals().escalationInterval());
        if (next.isBefore(r.pendingDeadline().get())) {
            ctx.timers().schedule(r.id(), TimerKind.ESCALATION, next);
        }
    }

    // ------------------------------------------------------------------ before the end

    private void noticeExpiry(AccessRequest r, Instant now) {
        if (r.status() != Status.APPROVED || r.grantState() != GrantState.ACTIVE || r.expiresAt().isEmpty()) {
            return;
        }
        Instant end = r.expiresAt().get();
        // A notice for an end that has moved (extended since) waits for the timer scheduled with the new end.
        if (!now.isBefore(end) || now.isBefore(end.minus(ctx.config().intervals().expiryNotice()))) {
            return;
        }
        messages.expiryNotice(r, end);
    }

    private void change(RequestId id, java.util.function.Consumer<AccessRequest> mutation) {
        calls.change(id, mutation);
    }
}
