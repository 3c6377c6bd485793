package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.ConcurrentUpdateException;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.policy.Approvers;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.AccessProvider.AccessProviderException;
import dev.clearance.core.port.ProviderResult;
import dev.clearance.core.port.TimerKind;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What happens when a durable timer fires. A timer carries only the request id: the state is re-read, and a timer
 * whose request moved on (decided, cancelled, a newer deadline) does nothing.
 */
public final class LifecycleTimers {
    private static final Logger LOG = Logger.getLogger(LifecycleTimers.class.getName());
    private final LifecycleContext ctx;
    private final AccessProvider provider;
    private final Messages messages;
    private final Extensions extensions;
    /** Every change a timer makes is recorded as the timer's. */
    private static final Origin TIMER = Origin.timer("");

    public LifecycleTimers(LifecycleContext ctx, AccessProvider provider) {
        this.ctx = ctx;
        this.provider = provider;
        this.messages = new Messages(ctx.outbox());
        this.extensions = new Extensions(ctx, messages);
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
            case GRANT -> grant(id);
            case REVOKE -> revoke(id, dueAt);
            case EXPIRY_NOTICE -> change(id, r -> noticeExpiry(r, at));
            case EXTEND -> tellProviderOfExtension(id);
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void expireJustification(AccessRequest r, Instant now) {
        if (r.status() != Status.REQUESTED || now.isBefore(r.justificationDeadline().orElseThrow())) {
            return;
        }
        r.transition(Status.ABANDONED_EXPIRED, AuditEvent.SYSTEM, now, "no justification within "
                + Spans.of(ctx.config().intervals().justificationWindow()));
        ctx.store().update(r);
        messages.toRequester(r, NotificationKind.REQUEST_ABANDONED_EXPIRED);
        messages.refreshCopies(r, "abandoned-expired");
    }

    private void expirePending(AccessRequest r, Instant now) {
        if (r.status() != Status.PENDING || now.isBefore(r.pendingDeadline().orElseThrow())) {
            return;
        }
        r.transition(Status.EXPIRED, AuditEvent.SYSTEM, now, "no decision within "
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
        Policy policy = config.policyNamed(r.policyName()).orElseGet(() -> config.match(r.resource(), r.account()));
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

    // ------------------------------------------------------------------ grant and revoke

    private void grant(RequestId id) {
        // NB: before the provider is asked, the attempt and the REVOKE timer for its expiry are committed: a crash
        // right after the provider call can leave access live, but never without a recorded approval and a timer
        // that takes it away.
        Instant attemptAt = ctx.now();
        Optional<AccessRequest> claimed = claimGrantAttempt(id, attemptAt);
        if (claimed.isEmpty()) {
            return;
        }
        AccessRequest r = claimed.get();
        Optional<Instant> expiry = expiryFrom(r, attemptAt);
        Outcome outcome = call(() -> provider.grant(toGrant(r, "grant", expiry)));
        Optional<String> failure = outcome.failure();
        change(id, fresh -> {
            if (fresh.status() != Status.APPROVED || fresh.grantState() != GrantState.GRANTING) {
                // Cancelled or revoked while the provider was being asked: the revocation already scheduled
                // (the request was REVOKING, see AccessRequestService#cancel) takes the access away.
                return;
            }
            Instant now = ctx.now();
            if (failure.isEmpty()) {
                fresh.granted(attemptAt, expiry.orElse(null));
                fresh.record(AuditEvent.SYSTEM, now, "access granted by provider '" + provider.name() + "'"
                        + expiry.map(e -> " until " + e).orElse(" until revoked") + outcome.noteSuffix());
                outcome.result().flatMap(ProviderResult::reference).ifPresent(ref -> fresh.addProviderReference("grant", ref));
                ctx.store().update(fresh);
                // The timer is already stored; scheduling it again covers a grant confirmed after its expiry.
                expiry.ifPresent(e -> ctx.timers().schedule(fresh.id(), TimerKind.REVOKE, e));
                Extensions.scheduleExpiryNotice(ctx, fresh, now);
                messages.toRequester(fresh, NotificationKind.ACCESS_GRANTED);
                messages.refreshCopies(fresh, "granted");
                return;
            }
            ctx.metrics().providerFailure("grant");
            int attempt = fresh.providerAttempts();
            int maxAttempts = ctx.config().intervals().grantAttempts();
            if (attempt < maxAttempts) {
                Instant retryAt = now.plus(ctx.config().intervals().providerBackoff(attempt));
                fresh.record(AuditEvent.SYSTEM, now, "grant attempt " + attempt + " of " + maxAttempts + " failed: "
                        + failure.get() + "; retrying at " + retryAt);
                ctx.store().update(fresh);
                ctx.timers().schedule(fresh.id(), TimerKind.GRANT, retryAt);
                return;
            }
            // NB: never show access that was not granted: the request ends, and admins are told.
            fresh.grantState(GrantState.FAILED);
            fresh.transition(Status.ENDED, AuditEvent.SYSTEM, now, "access could not be granted after " + attempt
                    + " attempts: " + failure.get());
            ctx.store().update(fresh);
            ctx.timers().cancel(fresh.id(), TimerKind.REVOKE);
            messages.toRequester(fresh, NotificationKind.ACCESS_ENDED, Map.of("reason", "access could not be granted"));
            messages.toAdmins(fresh, ctx.approvers().admins(fresh.scope()), NotificationKind.ADMIN_GRANT_FAILED,
                    "failed", Map.of("error", failure.get()));
            messages.refreshCopies(fresh, "grant-failed");
        });
    }

    /**
     * Records a grant attempt (compare-and-swap on the request) and schedules the REVOKE timer for the expiry that
     * attempt would have, in one transaction. Empty when the request moved on, e.g. the requester cancelled first.
     */
    private Optional<AccessRequest> claimGrantAttempt(RequestId id, Instant attemptAt) {
        return changed(id, found -> {
            if (found.isEmpty() || found.get().status() != Status.APPROVED
                    || found.get().grantState() != GrantState.GRANTING) {
                return Optional.<AccessRequest>empty();
            }
            AccessRequest r = found.get();
            r.nextProviderAttempt();
            ctx.store().update(r);
            expiryFrom(r, attemptAt).ifPresent(e -> ctx.timers().schedule(r.id(), TimerKind.REVOKE, e));
            return Optional.of(r);
        });
    }

    private void revoke(RequestId id, Instant dueAt) {
        Optional<AccessRequest> before = ctx.store().find(id);
        // NB: due as of the timer's own time (see fire): an early trigger must not skip the end of a grant.
        if (before.isEmpty() || before.get().status() != Status.APPROVED
                || !revocationDue(before.get(), later(ctx.now(), dueAt))) {
            return;
        }
        AccessRequest r = before.get();
        Outcome outcome = call(() -> provider.revoke(toGrant(r, "revoke", r.expiresAt())));
        Optional<String> failure = outcome.failure();
        change(id, fresh -> {
            Instant now = later(ctx.now(), dueAt);
            if (fresh.status() != Status.APPROVED || !revocationDue(fresh, now)) {
                return;
            }
            if (failure.isEmpty()) {
                String reason = fresh.revocationReason().orElse("timebox of " + fresh.approvedDuration()
                        .map(AccessDuration::toString).orElse("?") + " over");
                fresh.grantState(GrantState.REVOKED);
                fresh.transition(Status.ENDED, AuditEvent.SYSTEM, now, "access revoked by provider '" + provider.name()
                        + "': " + reason + outcome.noteSuffix());
                outcome.result().flatMap(ProviderResult::reference).ifPresent(ref -> fresh.addProviderReference("revoke", ref));
                ctx.store().update(fresh);
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
            fresh.record(AuditEvent.SYSTEM, now, "revoke attempt " + attempt + " failed: " + failure.get()
                    + "; retrying at " + retryAt);
            ctx.store().update(fresh);
            ctx.timers().schedule(fresh.id(), TimerKind.REVOKE, retryAt);
            if (attempt == 1) {
                messages.toAdmins(fresh, ctx.approvers().admins(fresh.scope()), NotificationKind.ADMIN_REVOKE_FAILING,
                        "first", Map.of("error", failure.get()));
            }
        });
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

    /** An approved extension moved the end: a provider whose grants carry their own end is told the new one. */
    private void tellProviderOfExtension(RequestId id) {
        Optional<AccessRequest> before = ctx.store().find(id);
        if (before.isEmpty() || before.get().status() != Status.APPROVED || before.get().grantState() != GrantState.ACTIVE
                || before.get().expiresAt().isEmpty()) {
            return;
        }
        Instant end = before.get().expiresAt().get();
        Optional<String> failure = call(() -> {
            provider.extend(toGrant(before.get(), "extend:" + end.getEpochSecond(), Optional.of(end)));
            return ProviderResult.done();
        }).failure();
        change(id, fresh -> {
            if (fresh.status() != Status.APPROVED || fresh.grantState() != GrantState.ACTIVE
                    || !fresh.expiresAt().equals(Optional.of(end))) {
                return;
            }
            Instant now = ctx.now();
            if (failure.isEmpty()) {
                if (fresh.providerAttempts() > 0) {
                    fresh.grantState(GrantState.ACTIVE);
                    fresh.record(AuditEvent.SYSTEM, now, "provider '" + provider.name() + "' now has the new end " + end);
                    ctx.store().update(fresh);
                }
                return;
            }
            ctx.metrics().providerFailure("extend");
            int attempt = fresh.nextProviderAttempt();
            int maxAttempts = ctx.config().intervals().grantAttempts();
            if (attempt < maxAttempts) {
                Instant retryAt = now.plus(ctx.config().intervals().providerBackoff(attempt));
                fresh.record(AuditEvent.SYSTEM, now, "telling provider '" + provider.name() + "' of the new end failed ("
                        + attempt + " of " + maxAttempts + "): " + failure.get() + "; retrying at " + retryAt);
                ctx.timers().schedule(fresh.id(), TimerKind.EXTEND, retryAt);
            } else {
                fresh.grantState(GrantState.ACTIVE);
                fresh.record(AuditEvent.SYSTEM, now, "provider '" + provider.name() + "' was not told the new end after "
                        + attempt + " attempts: " + failure.get() + "; Clearance still revokes at " + end);
            }
            ctx.store().update(fresh);
        });
    }

    /** Revocation is due once asked for, or when the timebox is over. */
    private static boolean revocationDue(AccessRequest r, Instant now) {
        return switch (r.grantState()) {
            case REVOKING -> true;
            case ACTIVE -> r.expiresAt().map(e -> !now.isBefore(e)).orElse(false);
            default -> false;
        };
    }

    private Optional<Instant> expiryFrom(AccessRequest r, Instant grantedAt) {
        AccessDuration d = r.approvedDuration().orElse(r.requestedDuration());
        return d.duration().map(grantedAt::plus);
    }

    private AccessGrant toGrant(AccessRequest r, String action, Optional<Instant> expiresAt) {
        return grantOf(ctx.config(), r, expiresAt, r.id() + ":" + action);
    }

    /** What the provider is asked for {@code r}: the request, and what its policy says to grant. */
    static AccessGrant grantOf(ClearanceConfig config, AccessRequest r, Optional<Instant> expiresAt, String idempotencyKey) {
        Policy policy = config.policyNamed(r.policyName()).orElseGet(() -> config.match(r.resource(), r.account()));
        return new AccessGrant(r.id(), r.requester(), r.resource(), r.account(), r.scope(), expiresAt,
                idempotencyKey, policy.name(), policy.grant());
    }

    private interface ProviderCall {
        ProviderResult run() throws AccessProviderException;
    }

    /** A provider call's answer: its result, or why it failed. */
    private record Outcome(Optional<ProviderResult> result, Optional<String> failure) {
        /** The provider's note for the audit trail, as the end of a sentence. */
        String noteSuffix() {
            return result.flatMap(ProviderResult::note).map(n -> " (" + n + ")").orElse("");
        }
    }

    private Outcome call(ProviderCall c) {
        try {
            ProviderResult result = c.run();
            return new Outcome(Optional.of(result == null ? ProviderResult.done() : result), Optional.empty());
        } catch (AccessProviderException e) {
            return new Outcome(Optional.empty(), Optional.of(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "access provider '" + provider.name() + "' failed unexpectedly", e);
            return new Outcome(Optional.empty(), Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private void change(RequestId id, Consumer<AccessRequest> mutation) {
        changed(id, found -> {
            found.ifPresent(mutation);
            return null;
        });
    }

    /** Reads and changes the request in one transaction; a lost compare-and-swap re-reads and runs again. */
    private <T> T changed(RequestId id, Function<Optional<AccessRequest>, T> work) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                return ctx.transactions().inTransaction(() -> work.apply(ctx.store().find(id).map(r -> r.actingVia(TIMER))));
            } catch (ConcurrentUpdateException lost) {
                LOG.fine(() -> "timer for " + id + " lost a race; re-reading");
            }
        }
        throw new ConcurrentUpdateException(id);
    }
}
