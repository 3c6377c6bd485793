package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
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
 * The REVOKE timer's provider call: once the end is due (the timebox is over, or an end was asked) and no grant attempt
 * is in flight, the provider is asked to revoke; the request then ends, or the revoke is retried until it succeeds.
 */
final class RevokeCall implements ProviderCalls.Step<AccessRequest> {
    private final LifecycleContext ctx;
    private final ProviderCalls calls;
    private final Messages messages;
    private final Extensions extensions;
    private final Instant dueAt;

    RevokeCall(LifecycleContext ctx, ProviderCalls calls, Messages messages, Extensions extensions, Instant dueAt) {
        this.ctx = ctx;
        this.calls = calls;
        this.messages = messages;
        this.extensions = extensions;
        this.dueAt = dueAt;
    }

    /** The request as it is when the revoke is sent (it is due then). */
    @Override
    public Optional<AccessRequest> claim(Optional<AccessRequest> found) {
        // NB: due as of the timer's own time (see LifecycleTimers#fire): an early trigger must not skip a grant's end.
        if (found.isEmpty() || found.get().status() != Status.APPROVED
                || !revocationDue(found.get(), answeredAt(ctx.now()))) {
            return Optional.empty();
        }
        if (waitsForGrantInFlight(found.get())) {
            // NB: the grant attempt's outcome schedules this revoke at once; this re-check only covers an answer
            // that is never recorded.
            ctx.timers().schedule(found.get().id(), TimerKind.REVOKE, ctx.now().plus(ProviderTimers.RECHECK));
            return Optional.empty();
        }
        return found;
    }

    /** A grant attempt is in flight and not yet taken as lost: the provider must not hear of the revoke before it. */
    private boolean waitsForGrantInFlight(AccessRequest r) {
        return r.grantAttemptInFlightSince()
                .filter(since -> ctx.now().isBefore(since.plus(ProviderTimers.LOST_GRANT_ATTEMPT)))
                .isPresent();
    }

    @Override
    public ProviderResult call(AccessRequest sent) throws AccessProviderException {
        return calls.provider().revoke(calls.toGrant(sent, "revoke", sent.expiresAt()));
    }

    @Override
    public Instant answeredAt(Instant now) {
        return ProviderTimers.later(now, dueAt);
    }

    @Override
    public boolean awaited(AccessRequest fresh, AccessRequest sent, ProviderCalls.Outcome outcome, Instant now) {
        return fresh.status() == Status.APPROVED && (revocationDue(fresh, now) || endMovedMeanwhile(fresh, sent, outcome));
    }

    /**
     * NB: an extension approved while the revoke for the end was on its way (another instance, its clock a little
     * behind) moved the end, but the provider has taken the access away: the request ends, never showing access the
     * provider no longer holds.
     */
    private static boolean endMovedMeanwhile(AccessRequest fresh, AccessRequest sent, ProviderCalls.Outcome outcome) {
        return outcome.failure().isEmpty() && sent.grantState() == GrantState.ACTIVE
                && fresh.grantState() == GrantState.ACTIVE && !fresh.expiresAt().equals(sent.expiresAt());
    }

    @Override
    public void succeeded(AccessRequest fresh, AccessRequest sent, ProviderCalls.Outcome outcome, Instant now) {
        String provider = calls.provider().name();
        String reason = fresh.revocationReason().orElse("timebox of " + fresh.approvedDuration()
                .map(AccessDuration::toString).orElse("?") + " over")
                + (endMovedMeanwhile(fresh, sent, outcome) ? " (the extension to " + fresh.expiresAt().orElseThrow()
                + " was approved while the revoke was being sent)" : "");
        // NB: sent past a grant attempt taken as lost (its mark timed out, or its GRANT timer ran again), and that
        // attempt answered meanwhile: its grant may have reached the provider after this revoke. Reconciliation
        // removes it with a new idempotency key (a revoke under the request's own key may be answered "done").
        boolean lostAttemptAnsweredMeanwhile = (sent.grantAttemptInFlightSince().isPresent()
                && !fresh.grantAttemptInFlightSince().equals(sent.grantAttemptInFlightSince()))
                || fresh.history().stream().skip(sent.history().size())
                .anyMatch(e -> e.reason() != null && e.reason().startsWith(ProviderTimers.IN_FLIGHT_ANSWERED));
        fresh.grant().revoked(outcome.reference(), now, "access revoked by provider '" + provider + "': " + reason
                + outcome.noteSuffix());
        if (lostAttemptAnsweredMeanwhile) {
            fresh.record(AuditEvent.SYSTEM, now, "the grant attempt taken as lost answered while this revoke was"
                    + " sent, and may have reached the provider after it; reconciling with provider '" + provider + "'");
        }
        ctx.store().update(fresh);
        if (lostAttemptAnsweredMeanwhile) {
            ctx.timers().schedule(fresh.id(), TimerKind.RECONCILE, now);
        }
        ctx.timers().cancel(fresh.id(), TimerKind.GRANT);
        ctx.timers().cancel(fresh.id(), TimerKind.EXPIRY_NOTICE);
        ctx.timers().cancel(fresh.id(), TimerKind.EXTEND);
        extensions.closeAll(fresh, now);
        messages.toRequester(fresh, NotificationKind.ACCESS_ENDED, Map.of("reason", reason));
        messages.refreshCopies(fresh, "ended");
    }

    @Override
    public int failed(AccessRequest fresh) {
        return fresh.grant().revokeAttemptFailed();
    }

    @Override
    public String kind() {
        return "revoke";
    }

    /** NB: a revoke is retried until it succeeds; it stays visible on the request and admins hear of it. */
    @Override
    public int maxAttempts() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void retry(AccessRequest fresh, AccessRequest sent, String failure, int attempt, Instant retryAt, Instant now) {
        fresh.record(AuditEvent.SYSTEM, now, "revoke attempt " + attempt + " failed: " + failure + "; retrying at " + retryAt);
        ctx.store().update(fresh);
        ctx.timers().schedule(fresh.id(), TimerKind.REVOKE, retryAt);
        if (attempt == 1) {
            messages.toAdmins(fresh, ctx.approvers().admins(fresh.scope()), NotificationKind.ADMIN_REVOKE_FAILING,
                    "first", Map.of("error", failure));
        }
    }

    @Override
    public void giveUp(AccessRequest fresh, AccessRequest sent, String failure, int attempt, Instant now) {
        retry(fresh, sent, failure, attempt, now.plus(ctx.config().intervals().providerBackoff(attempt)), now);
    }

    /** Revocation is due once asked for, or when the timebox is over. */
    private static boolean revocationDue(AccessRequest r, Instant now) {
        return switch (r.grantState()) {
            case REVOKING -> true;
            case ACTIVE -> r.expiresAt().map(e -> !now.isBefore(e)).orElse(false);
            // NB: a grant attempt claimed but never answered (its instance died and its GRANT job was not re-run) may
            // have granted: the REVOKE timer its claim scheduled takes it away at the end that attempt would have had
            // (once the attempt is taken as lost), instead of leaving it live and the request "granting" for ever.
            case GRANTING -> r.grantAttemptInFlightSince().flatMap(since -> ProviderTimers.expiryFrom(r, since))
                    .map(e -> !now.isBefore(e)).orElse(false);
            default -> false;
        };
    }
}
