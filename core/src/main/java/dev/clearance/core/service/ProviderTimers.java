package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.ProviderResult;
import dev.clearance.core.port.TimerKind;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The timers that call the access provider: GRANT, REVOKE and EXTEND. Each asks the provider outside any transaction,
 * then records the answer by compare-and-swap on the request as it is stored by then.
 * <p>
 * NB: a revocation never overtakes its grant. While a grant attempt is in flight (claimed, not yet answered), an end
 * is recorded at once (REVOKING) but the provider is asked to revoke only once that attempt's outcome is recorded;
 * whatever that outcome, the revoke follows, since a failed call may still have reached the provider.
 */
final class ProviderTimers {
    /**
     * A grant attempt claimed longer ago than this without an answer is taken as lost (its instance died and Quartz's
     * recovery did not re-run it): a revocation waiting on it goes ahead. Far longer than any provider call's timeout.
     */
    static final Duration LOST_GRANT_ATTEMPT = Duration.ofMinutes(15);
    /** How soon a revocation waiting on a grant in flight looks again, should that grant's answer never be recorded. */
    static final Duration RECHECK = Duration.ofMinutes(1);
    /** How the audit line of a grant attempt's outcome recorded after the end was asked begins. */
    private static final String IN_FLIGHT_ANSWERED = "the grant attempt in flight ";

    private final LifecycleContext ctx;
    private final ProviderCalls calls;
    private final Messages messages;
    private final Extensions extensions;

    ProviderTimers(LifecycleContext ctx, AccessProvider provider, Messages messages, Extensions extensions) {
        this.ctx = ctx;
        this.calls = new ProviderCalls(ctx, provider);
        this.messages = messages;
        this.extensions = extensions;
    }

    // ------------------------------------------------------------------ grant

    void grant(RequestId id) {
        // NB: before the provider is asked, the attempt (marked in flight) and the REVOKE timer for its expiry are
        // committed: a crash right after the provider call can leave access live, but never without a recorded
        // approval and a timer that takes it away.
        Instant attemptAt = ctx.now();
        Optional<AccessRequest> claimed = calls.changed(id, found -> found.flatMap(r -> claimGrantAttempt(r, attemptAt)));
        if (claimed.isEmpty()) {
            return;
        }
        AccessRequest r = claimed.get();
        Optional<Instant> expiry = expiryFrom(r, attemptAt);
        ProviderCalls.Outcome outcome = calls.call(() -> calls.provider().grant(calls.toGrant(r, "grant", expiry)));
        calls.change(id, fresh -> recordGrantOutcome(fresh, attemptAt, expiry, outcome));
    }

    /**
     * Claims a grant attempt by compare-and-swap and schedules the REVOKE timer for the expiry that attempt would have,
     * in one transaction. Empty when the request moved on (the requester cancelled first, say).
     */
    private Optional<AccessRequest> claimGrantAttempt(AccessRequest r, Instant attemptAt) {
        if (r.status() != Status.APPROVED) {
            return Optional.empty();
        }
        if (r.grantState() == GrantState.REVOKING && r.grantAttemptInFlightSince().isPresent()) {
            // NB: the GRANT timer runs again while its last attempt is still marked in flight: that attempt's instance
            // died (Quartz recovers the job) or failed to record its answer. The end asked for meanwhile must not wait
            // for an answer that will never come, and the lost call may have granted: revoke now.
            r.grantAttemptAnswered();
            r.record(AuditEvent.SYSTEM, attemptAt, "the grant attempt in flight never answered; revoking in case it"
                    + " reached provider '" + calls.provider().name() + "'");
            ctx.store().update(r);
            ctx.timers().schedule(r.id(), TimerKind.REVOKE, attemptAt);
            return Optional.empty();
        }
        if (r.grantState() != GrantState.GRANTING) {
            return Optional.empty();
        }
        r.nextProviderAttempt();
        r.grantAttemptStarted(attemptAt);
        ctx.store().update(r);
        expiryFrom(r, attemptAt).ifPresent(e -> ctx.timers().schedule(r.id(), TimerKind.REVOKE, e));
        // NB: should this attempt never answer and its job not be re-run (a grant until revoked has no REVOKE timer to
        // end it), the GRANT timer runs again once the attempt is taken as lost: it tries again, or revokes if the end
        // was asked meanwhile. The attempt's outcome replaces or cancels it.
        ctx.timers().schedule(r.id(), TimerKind.GRANT, attemptAt.plus(LOST_GRANT_ATTEMPT));
        return Optional.of(r);
    }

    private void recordGrantOutcome(AccessRequest fresh, Instant attemptAt, Optional<Instant> expiry,
                                    ProviderCalls.Outcome outcome) {
        Instant now = ctx.now();
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
            return;
        }
        if (fresh.grantState() == GrantState.REVOKING) {
            // NB: ended while the provider was being asked. The revoke was held back until now; it goes whether the
            // grant succeeded or failed, since a failed call (a timeout, say) may still have granted.
            fresh.grantAttemptAnswered();
            outcome.result().flatMap(ProviderResult::reference).ifPresent(ref -> fresh.addProviderReference("grant", ref));
            fresh.record(AuditEvent.SYSTEM, now, IN_FLIGHT_ANSWERED + (outcome.failure().isEmpty()
                    ? "succeeded" + outcome.noteSuffix() : "failed (" + outcome.failure().get() + ")")
                    + " after the end was asked; revoking now");
            ctx.store().update(fresh);
            ctx.timers().schedule(fresh.id(), TimerKind.REVOKE, now);
            if (outcome.failure().isPresent()) {
                // NB: a failed call (a timeout) may still be granting at the provider, after this revoke: look again
                // later, and remove what is found (or revoke blind where the provider cannot list)
                ctx.timers().schedule(fresh.id(), TimerKind.RECONCILE_CONFIRM, now.plus(Reconciliation.CONFIRM_AFTER));
            }
            return;
        }
        if (fresh.grantState() != GrantState.GRANTING) {
            return;
        }
        fresh.grantAttemptAnswered();
        if (outcome.failure().isEmpty()) {
            fresh.granted(attemptAt, expiry.orElse(null));
            fresh.record(AuditEvent.SYSTEM, now, "access granted by provider '" + provider + "'"
                    + expiry.map(e -> " until " + e).orElse(" until revoked") + outcome.noteSuffix());
            outcome.result().flatMap(ProviderResult::reference).ifPresent(ref -> fresh.addProviderReference("grant", ref));
            ctx.store().update(fresh);
            ctx.timers().cancel(fresh.id(), TimerKind.GRANT);
            // The timer is already stored; scheduling it again covers a grant confirmed after its expiry.
            expiry.ifPresent(e -> ctx.timers().schedule(fresh.id(), TimerKind.REVOKE, e));
            Extensions.scheduleExpiryNotice(ctx, fresh, now);
            messages.toRequester(fresh, NotificationKind.ACCESS_GRANTED);
            messages.refreshCopies(fresh, "granted");
            return;
        }
        String failure = outcome.failure().get();
        ctx.metrics().providerFailure("grant");
        int attempt = fresh.providerAttempts();
        int maxAttempts = ctx.config().intervals().grantAttempts();
        if (attempt < maxAttempts) {
            Instant retryAt = now.plus(ctx.config().intervals().providerBackoff(attempt));
            fresh.record(AuditEvent.SYSTEM, now, "grant attempt " + attempt + " of " + maxAttempts + " failed: "
                    + failure + "; retrying at " + retryAt);
            ctx.store().update(fresh);
            ctx.timers().schedule(fresh.id(), TimerKind.GRANT, retryAt);
            return;
        }
        // NB: never show access that was not granted: the request ends and admins are told. A failed call may still
        // have granted (a creation that finished after its polls, a webhook that acted and then timed out), so the
        // provider is asked, now and once more later, and whatever it holds for this request is removed.
        fresh.grantState(GrantState.FAILED);
        fresh.transition(Status.ENDED, AuditEvent.SYSTEM, now, "access could not be granted after " + attempt
                + " attempts: " + failure + "; reconciling with provider '" + provider + "' in case it was granted");
        ctx.store().update(fresh);
        ctx.timers().cancel(fresh.id(), TimerKind.REVOKE);
        ctx.timers().schedule(fresh.id(), TimerKind.RECONCILE, now);
        messages.toRequester(fresh, NotificationKind.ACCESS_ENDED, Map.of("reason", "access could not be granted"));
        messages.toAdmins(fresh, ctx.approvers().admins(fresh.scope()), NotificationKind.ADMIN_GRANT_FAILED,
                "failed", Map.of("error", failure));
        messages.refreshCopies(fresh, "grant-failed");
    }

    // ------------------------------------------------------------------ revoke

    void revoke(RequestId id, Instant dueAt) {
        Optional<AccessRequest> before = ctx.store().find(id);
        // NB: due as of the timer's own time (see LifecycleTimers#fire): an early trigger must not skip a grant's end.
        if (before.isEmpty() || before.get().status() != Status.APPROVED
                || !revocationDue(before.get(), later(ctx.now(), dueAt))) {
            return;
        }
        if (waitsForGrantInFlight(before.get())) {
            // NB: the grant attempt's outcome schedules this revoke at once; this re-check only covers an answer
            // that is never recorded.
            ctx.timers().schedule(id, TimerKind.REVOKE, ctx.now().plus(RECHECK));
            return;
        }
        AccessRequest r = before.get();
        ProviderCalls.Outcome outcome = calls.call(() -> calls.provider().revoke(calls.toGrant(r, "revoke", r.expiresAt())));
        calls.change(id, fresh -> recordRevokeOutcome(fresh, r, later(ctx.now(), dueAt), outcome));
    }

    /** A grant attempt is in flight and not yet taken as lost: the provider must not hear of the revoke before it. */
    private boolean waitsForGrantInFlight(AccessRequest r) {
        return r.grantAttemptInFlightSince()
                .filter(since -> ctx.now().isBefore(since.plus(LOST_GRANT_ATTEMPT)))
                .isPresent();
    }

    /** {@code sent} is the request as it was when the revoke was sent (it was due then). */
    private void recordRevokeOutcome(AccessRequest fresh, AccessRequest sent, Instant now, ProviderCalls.Outcome outcome) {
        if (fresh.status() != Status.APPROVED) {
            return;
        }
        // NB: an extension approved while the revoke for the end was on its way (another instance, its clock a little
        // behind) moved the end, but the provider has taken the access away: the request ends, never showing access
        // the provider no longer holds.
        boolean endMovedMeanwhile = outcome.failure().isEmpty() && sent.grantState() == GrantState.ACTIVE
                && fresh.grantState() == GrantState.ACTIVE && !fresh.expiresAt().equals(sent.expiresAt());
        if (!revocationDue(fresh, now) && !endMovedMeanwhile) {
            return;
        }
        String provider = calls.provider().name();
        if (outcome.failure().isEmpty()) {
            String reason = fresh.revocationReason().orElse("timebox of " + fresh.approvedDuration()
                    .map(AccessDuration::toString).orElse("?") + " over")
                    + (endMovedMeanwhile ? " (the extension to " + fresh.expiresAt().orElseThrow()
                    + " was approved while the revoke was being sent)" : "");
            // NB: sent past a grant attempt taken as lost (its mark timed out, or its GRANT timer ran again), and that
            // attempt answered meanwhile: its grant may have reached the provider after this revoke. Reconciliation
            // removes it with a new idempotency key (a revoke under the request's own key may be answered "done").
            boolean lostAttemptAnsweredMeanwhile = (sent.grantAttemptInFlightSince().isPresent()
                    && !fresh.grantAttemptInFlightSince().equals(sent.grantAttemptInFlightSince()))
                    || fresh.history().stream().skip(sent.history().size())
                    .anyMatch(e -> e.reason() != null && e.reason().startsWith(IN_FLIGHT_ANSWERED));
            fresh.grantAttemptAnswered();
            fresh.grantState(GrantState.REVOKED);
            fresh.transition(Status.ENDED, AuditEvent.SYSTEM, now, "access revoked by provider '" + provider
                    + "': " + reason + outcome.noteSuffix());
            outcome.result().flatMap(ProviderResult::reference).ifPresent(ref -> fresh.addProviderReference("revoke", ref));
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
            return;
        }
        ctx.metrics().providerFailure("revoke");
        if (fresh.grantState() != GrantState.REVOKING) {
            fresh.requestRevocation(null);
        }
        int attempt = fresh.nextProviderAttempt();
        Instant retryAt = now.plus(ctx.config().intervals().providerBackoff(attempt));
        // NB: a revoke is retried until it succeeds; it stays visible on the request and admins hear of it.
        fresh.record(AuditEvent.SYSTEM, now, "revoke attempt " + attempt + " failed: " + outcome.failure().get()
                + "; retrying at " + retryAt);
        ctx.store().update(fresh);
        ctx.timers().schedule(fresh.id(), TimerKind.REVOKE, retryAt);
        if (attempt == 1) {
            messages.toAdmins(fresh, ctx.approvers().admins(fresh.scope()), NotificationKind.ADMIN_REVOKE_FAILING,
                    "first", Map.of("error", outcome.failure().get()));
        }
    }

    /** Revocation is due once asked for, or when the timebox is over. */
    private static boolean revocationDue(AccessRequest r, Instant now) {
        return switch (r.grantState()) {
            case REVOKING -> true;
            case ACTIVE -> r.expiresAt().map(e -> !now.isBefore(e)).orElse(false);
            // NB: a grant attempt claimed but never answered (its instance died and its GRANT job was not re-run) may
            // have granted: the REVOKE timer its claim scheduled takes it away at the end that attempt would have had
            // (once the attempt is taken as lost), instead of leaving it live and the request "granting" for ever.
            case GRANTING -> r.grantAttemptInFlightSince().flatMap(since -> expiryFrom(r, since))
                    .map(e -> !now.isBefore(e)).orElse(false);
            default -> false;
        };
    }

    // ------------------------------------------------------------------ extend

    /** An approved extension moved the end: a provider whose grants carry their own end is told the new one. */
    void tellProviderOfExtension(RequestId id) {
        // NB: the call is marked in flight like a grant attempt: a receiver may apply "access until X" as a grant, so a
        // give-back or revoke meanwhile waits for its answer, never reaching the provider before it.
        Instant sentAt = ctx.now();
        Optional<AccessRequest> claimed = calls.changed(id, found -> found.filter(r -> r.status() == Status.APPROVED
                && r.grantState() == GrantState.ACTIVE && r.expiresAt().isPresent()).map(r -> {
                    r.grantAttemptStarted(sentAt);
                    ctx.store().update(r);
                    return r;
                }));
        if (claimed.isEmpty()) {
            return;
        }
        Instant end = claimed.get().expiresAt().get();
        Optional<String> failure = calls.call(() -> {
            calls.provider().extend(calls.toGrant(claimed.get(), "extend:" + end.getEpochSecond(), Optional.of(end)));
            return ProviderResult.done();
        }).failure();
        calls.change(id, fresh -> recordExtendOutcome(fresh, sentAt, end, failure));
    }

    private void recordExtendOutcome(AccessRequest fresh, Instant sentAt, Instant end, Optional<String> failure) {
        String provider = calls.provider().name();
        Instant now = ctx.now();
        boolean answered = fresh.grantAttemptInFlightSince().equals(Optional.of(sentAt));
        if (answered) {
            fresh.grantAttemptAnswered();
        }
        if (answered && fresh.status() == Status.APPROVED && fresh.grantState() == GrantState.REVOKING) {
            fresh.record(AuditEvent.SYSTEM, now, "the extend call in flight answered after the end was asked; revoking now");
            ctx.store().update(fresh);
            ctx.timers().schedule(fresh.id(), TimerKind.REVOKE, now);
            return;
        }
        if (fresh.status() != Status.APPROVED || fresh.grantState() != GrantState.ACTIVE
                || !fresh.expiresAt().equals(Optional.of(end))) {
            if (answered) {
                ctx.store().update(fresh);
            }
            return;
        }
        if (failure.isEmpty()) {
            if (fresh.providerAttempts() > 0) {
                fresh.grantState(GrantState.ACTIVE);
                fresh.record(AuditEvent.SYSTEM, now, "provider '" + provider + "' now has the new end " + end);
            }
            ctx.store().update(fresh);
            return;
        }
        ctx.metrics().providerFailure("extend");
        int attempt = fresh.nextProviderAttempt();
        int maxAttempts = ctx.config().intervals().grantAttempts();
        if (attempt < maxAttempts) {
            Instant retryAt = now.plus(ctx.config().intervals().providerBackoff(attempt));
            fresh.record(AuditEvent.SYSTEM, now, "telling provider '" + provider + "' of the new end failed ("
                    + attempt + " of " + maxAttempts + "): " + failure.get() + "; retrying at " + retryAt);
            ctx.timers().schedule(fresh.id(), TimerKind.EXTEND, retryAt);
        } else {
            fresh.grantState(GrantState.ACTIVE);
            fresh.record(AuditEvent.SYSTEM, now, "provider '" + provider + "' was not told the new end after "
                    + attempt + " attempts: " + failure.get() + "; Clearance still revokes at " + end);
        }
        ctx.store().update(fresh);
    }

    // ------------------------------------------------------------------ helpers

    private static Optional<Instant> expiryFrom(AccessRequest r, Instant grantedAt) {
        AccessDuration d = r.approvedDuration().orElse(r.requestedDuration());
        return d.duration().map(grantedAt::plus);
    }

    static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
