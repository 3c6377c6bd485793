package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Status;
import dev.clearance.core.port.AccessProvider.AccessProviderException;
import dev.clearance.core.port.ProviderResult;
import dev.clearance.core.port.TimerKind;

import java.time.Instant;
import java.util.Optional;

/**
 * The EXTEND timer's provider call: an approved extension moved the end, and a provider whose grants carry their own
 * end is told the new one (retried a few times; Clearance revokes on time either way).
 * <p>
 * NB: the call is marked in flight like a grant attempt: a receiver may apply "access until X" as a grant, so a
 * give-back or revoke meanwhile waits for its answer, never reaching the provider before it.
 */
final class ExtendCall implements ProviderCalls.Step<ExtendCall.Claimed> {
    private final LifecycleContext ctx;
    private final ProviderCalls calls;

    /** The request as claimed, when the call was sent, and the end it tells. */
    record Claimed(AccessRequest request, Instant sentAt, Instant end) {
    }

    ExtendCall(LifecycleContext ctx, ProviderCalls calls) {
        this.ctx = ctx;
        this.calls = calls;
    }

    @Override
    public Optional<Claimed> claim(Optional<AccessRequest> found) {
        Instant sentAt = ctx.now();
        return found.filter(r -> r.status() == Status.APPROVED && r.grantState() == GrantState.ACTIVE
                && r.expiresAt().isPresent()).map(r -> {
                    r.grant().extendStarted(sentAt);
                    ctx.store().update(r);
                    return new Claimed(r, sentAt, r.expiresAt().get());
                });
    }

    @Override
    public ProviderResult call(Claimed c) throws AccessProviderException {
        Instant end = c.end();
        calls.provider().extend(calls.toGrant(c.request(), "extend:" + end.getEpochSecond(), Optional.of(end)));
        return ProviderResult.done();
    }

    @Override
    public boolean awaited(AccessRequest fresh, Claimed c, ProviderCalls.Outcome outcome, Instant now) {
        boolean answered = fresh.grant().extendAnswered(c.sentAt());
        if (answered && fresh.status() == Status.APPROVED && fresh.grantState() == GrantState.REVOKING) {
            fresh.record(AuditEvent.SYSTEM, now, "the extend call in flight answered after the end was asked; revoking now");
            ctx.store().update(fresh);
            ctx.timers().schedule(fresh.id(), TimerKind.REVOKE, now);
            return false;
        }
        if (fresh.status() != Status.APPROVED || fresh.grantState() != GrantState.ACTIVE
                || !fresh.expiresAt().equals(Optional.of(c.end()))) {
            if (answered) {
                ctx.store().update(fresh);
            }
            return false;
        }
        return true;
    }

    @Override
    public void succeeded(AccessRequest fresh, Claimed c, ProviderCalls.Outcome outcome, Instant now) {
        fresh.grant().extendConfirmed(now, "provider '" + calls.provider().name() + "' now has the new end " + c.end());
        ctx.store().update(fresh);
    }

    @Override
    public int failed(AccessRequest fresh) {
        return fresh.grant().extendAttemptFailed();
    }

    @Override
    public String kind() {
        return "extend";
    }

    @Override
    public int maxAttempts() {
        return ctx.config().intervals().grantAttempts();
    }

    @Override
    public void retry(AccessRequest fresh, Claimed c, String failure, int attempt, Instant retryAt, Instant now) {
        fresh.record(AuditEvent.SYSTEM, now, "telling provider '" + calls.provider().name() + "' of the new end failed ("
                + attempt + " of " + maxAttempts() + "): " + failure + "; retrying at " + retryAt);
        ctx.timers().schedule(fresh.id(), TimerKind.EXTEND, retryAt);
        ctx.store().update(fresh);
    }

    @Override
    public void giveUp(AccessRequest fresh, Claimed c, String failure, int attempt, Instant now) {
        fresh.grant().extendGivenUp(now, "provider '" + calls.provider().name() + "' was not told the new end after "
                + attempt + " attempts: " + failure + "; Clearance still revokes at " + c.end());
        ctx.store().update(fresh);
    }
}
