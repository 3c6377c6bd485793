package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.port.AccessProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The timers that call the access provider: GRANT ({@link GrantCall}), REVOKE ({@link RevokeCall}) and EXTEND
 * ({@link ExtendCall}). Each asks the provider outside any transaction, then records the answer by compare-and-swap on
 * the request as it is stored by then ({@link ProviderCalls#run}).
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
    static final String IN_FLIGHT_ANSWERED = "the grant attempt in flight ";

    private final LifecycleContext ctx;
    private final ProviderCalls calls;
    private final Messages messages;
    private final Extensions extensions;
    private final GrantCall grant;
    private final ExtendCall extend;

    ProviderTimers(LifecycleContext ctx, AccessProvider provider, Messages messages, Extensions extensions) {
        this.ctx = ctx;
        this.calls = new ProviderCalls(ctx, provider);
        this.messages = messages;
        this.extensions = extensions;
        this.grant = new GrantCall(ctx, calls, messages);
        this.extend = new ExtendCall(ctx, calls);
    }

    void grant(RequestId id) {
        calls.run(id, grant);
    }

    void revoke(RequestId id, Instant dueAt) {
        calls.run(id, new RevokeCall(ctx, calls, messages, extensions, dueAt));
    }

    /** An approved extension moved the end: a provider whose grants carry their own end is told the new one. */
    void tellProviderOfExtension(RequestId id) {
        calls.run(id, extend);
    }

    /** The end a grant made at {@code grantedAt} has (empty: until revoked). */
    static Optional<Instant> expiryFrom(AccessRequest r, Instant grantedAt) {
        AccessDuration d = r.approvedDuration().orElse(r.requestedDuration());
        return d.duration().map(grantedAt::plus);
    }

    static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
