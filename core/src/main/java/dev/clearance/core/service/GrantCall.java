package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Status;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.port.AccessProvider.AccessProviderException;
import dev.clearance.core.port.ProviderResult;
import dev.clearance.core.port.TimerKind;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The GRANT timer's provider call: the attempt is claimed and marked in flight, the provider asked, and its answer
 * confirms the grant, schedules a retry with backoff, or (after the configured attempts) ends the request.
 */
final class GrantCall implements ProviderCalls.Step<GrantCall.Claimed> {
    private final LifecycleContext ctx;
    private final ProviderCalls calls;
    private final Messages messages;

    /** The request as claimed, when the attempt was claimed and the end the grant is sent with. */
    record Claimed(AccessRequest request, Instant attemptAt, Optional<Instant> expiry) {
    }

    GrantCall(LifecycleContext ctx, ProviderCalls calls, Messages messages) {
        this.ctx = ctx;
        this.calls = calls;
        this.messages = messages;
    }

    /**
     * Claims a grant attempt by compare-and-swap and schedules the REVOKE timer for the expiry that attempt would have,
     * in one transaction. Empty when the request moved on (the requester cancelled first, say).
     * <p>
     * NB: before the provider is asked, the attempt (marked in flight) and the REVOKE timer for its expiry are
     * committed: a crash right after the provider call can leave access live, but never without a recorded
     * approval and a timer that takes it away.
     */
    @Override
    public Optional<Claimed> claim(Optional<AccessRequest> found) {
        Instant attemptAt = ctx.now();
        if (found.isEmpty() || found.get().status() != Status.APPROVED) {
            return Optional.empty();
        }
        AccessRequest r = found.get();
        if (r.grantState() == GrantState.REVOKING && r.grantAttemptInFlightSince().isPresent()) {
            // NB: the GRANT timer runs again while its last attempt is still marked in flight: that attempt's instance
            // died (Quartz recovers the job) or failed to record its answer. The end asked for meanwhile must not wait
            // for an answer that will never come, and the lost call may have granted: revoke now.
            r.grant().inFlightAnsweredAfterEnd(Optional.empty(), attemptAt, "the grant attempt in flight never answered;"
                    + " revoking in case it reached provider '" + calls.provider().name() + "'");
            ctx.store().update(r);
            ctx.timers().schedule(r.id(), TimerKind.REVOKE, attemptAt);
            return Optional.empty();
        }
        if (r.grantState() != GrantState.GRANTING) {
            return Optional.empty();
        }
        r.grant().attemptStarted(attemptAt);
        ctx.store().update(r);
        Optional<Instant> expiry = ProviderTimers.expiryFrom(r, attemptAt);
        expiry.ifPresent(e -> ctx.timers().schedule(r.id(), TimerKind.REVOKE, e));
        // NB: should this attempt never answer and its job not be re-run (a grant until revoked has no REVOKE timer to
        // end it), the GRANT timer runs again once the attempt is taken as lost: it tries again, or revokes if the end
        // was asked meanwhile. The attempt's outcome replaces or cancels it.
        ctx.timers().schedule(r.id(), TimerKind.GRANT, attemptAt.plus(ProviderTimers.LOST_GRANT_ATTEMPT));
        return Optional.of(new Claimed(r, attemptAt, expiry));
    }

    @Override
    public ProviderResult call(Claimed c) throws AccessProviderException {
        return calls.provider().grant(calls.toGrant(c.request(), "grant", c.expiry()));
    }

    @Override
    public boolean awaited(AccessRequest fresh, Claimed c, ProviderCalls.Outcome outcome, Instant now) {
        String provider = calls.provider().name();
        if (fresh.status() != Status.APPROVED) {
            // Only an attempt lost and given up on can find its request ended; what it may have granted is looked for.
            // NB: whatever its outcome: a failed call (a timeout after the provider acted) may have granted as surely
            // as a successful one, and the revoke that ended the request may have reached the provider before it.
            fresh.record(AuditEvent.SYSTEM, now, "a late grant attempt answered after the request ended ("
                    + outcome.failure().map(f -> "failed: " + f).orElse("succeeded" + outcome.noteSuffix())
                    + "); reconciling with provider '" + provider + "'");
            ctx.store().update(fresh);
            ctx.timers().schedule(fresh.id(), TimerKind.RECONCILE, now);
            return false;
        }
        if (fresh.grantState() == GrantState.REVOKING) {
            // NB: ended while the provider was being asked. The revoke was held back until now; it goes whether the
            // grant succeeded or failed, since a failed call (a timeout, say) may still have granted.
            fresh.grant().inFlightAnsweredAfterEnd(outcome.reference(), now, ProviderTimers.IN_FLIGHT_ANSWERED
                    + (outcome.failure().isEmpty() ? "succeeded" + outcome.noteSuffix()
                    : "failed (" + outcome.failure().get() + ")") + " after the end was asked; revoking now");
            ctx.store().update(fresh);
            ctx.timers().schedule(fresh.id(), TimerKind.REVOKE, now);
            if (outcome.failure().isPresent()) {
                // NB: a failed call (a timeout) may still be granting at the provider, after this revoke: look again
                // later, and remove what is found (or revoke blind where the provider cannot list)
                ctx.timers().schedule(fresh.id(), TimerKind.RECONCILE_CONFIRM, now.plus(Reconciliation.CONFIRM_AFTER));
            }
            return false;
        }
        return fresh.grantState() == GrantState.GRANTING;
    }

    @Override
    public void succeeded(AccessRequest fresh, Claimed c, ProviderCalls.Outcome outcome, Instant now) {
        Optional<Instant> expiry = c.expiry();
        fresh.grant().confirmed(c.attemptAt(), expiry, outcome.reference(), now, "access granted by provider '"
                + calls.provider().name() + "'" + expiry.map(e -> " until " + e).orElse(" until revoked")
                + outcome.noteSuffix());
        ctx.store().update(fresh);
        ctx.timers().cancel(fresh.id(), TimerKind.GRANT);
        // The timer is already stored; scheduling it again covers a grant confirmed after its expiry.
        expiry.ifPresent(e -> ctx.timers().schedule(fresh.id(), TimerKind.REVOKE, e));
        Extensions.scheduleExpiryNotice(ctx, fresh, now);
        messages.toRequester(fresh, NotificationKind.ACCESS_GRANTED);
        messages.refreshCopies(fresh, "granted");
    }

    @Override
    public int failed(AccessRequest fresh) {
        return fresh.grant().attemptFailed();
    }

    @Override
    public String kind() {
        return "grant";
    }

    @Override
    public int maxAttempts() {
        return ctx.config().intervals().grantAttempts();
    }

    @Override
    public void retry(AccessRequest fresh, Claimed c, String failure, int attempt, Instant retryAt, Instant now) {
        fresh.record(AuditEvent.SYSTEM, now, "grant attempt " + attempt + " of " + maxAttempts() + " failed: "
                + failure + "; retrying at " + retryAt);
        ctx.store().update(fresh);
        ctx.timers().schedule(fresh.id(), TimerKind.GRANT, retryAt);
    }

    /**
     * NB: never show access that was not granted: the request ends and admins are told. A failed call may still have
     * granted (a creation that finished after its polls, a webhook that acted and then timed out), so the provider is
     * asked, now and once more later, and whatever it holds for this request is removed.
     */
    @Override
    public void giveUp(AccessRequest fresh, Claimed c, String failure, int attempt, Instant now) {
        fresh.grant().failed(now, "access could not be granted after " + attempt + " attempts: " + failure
                + "; reconciling with provider '" + calls.provider().name() + "' in case it was granted");
        ctx.store().update(fresh);
        ctx.timers().cancel(fresh.id(), TimerKind.REVOKE);
        ctx.timers().schedule(fresh.id(), TimerKind.RECONCILE, now);
        messages.toRequester(fresh, NotificationKind.ACCESS_ENDED, Map.of("reason", "access could not be granted"));
        messages.toAdmins(fresh, ctx.approvers().admins(fresh.scope()), NotificationKind.ADMIN_GRANT_FAILED,
                "failed", Map.of("error", failure));
        messages.refreshCopies(fresh, "grant-failed");
    }
}
