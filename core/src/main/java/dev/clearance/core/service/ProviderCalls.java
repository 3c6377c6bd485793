package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ConcurrentUpdateException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.AccessProvider.AccessProviderException;
import dev.clearance.core.port.ProviderResult;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the timers share when they deal with the access provider: one call with its answer or failure, what the
 * provider is asked for a request, and "re-read the request and change it, again if a concurrent change won".
 */
final class ProviderCalls {
    private static final Logger LOG = Logger.getLogger(ProviderCalls.class.getName());
    /** Every change a timer makes is recorded as the timer's. */
    private static final Origin TIMER = Origin.timer("");
    private final LifecycleContext ctx;
    private final AccessProvider provider;

    ProviderCalls(LifecycleContext ctx, AccessProvider provider) {
        this.ctx = ctx;
        this.provider = provider;
    }

    AccessProvider provider() {
        return provider;
    }

    interface Call {
        ProviderResult run() throws AccessProviderException;
    }

    /** A provider call's answer: its result, or why it failed. */
    record Outcome(Optional<ProviderResult> result, Optional<String> failure) {
        /** The provider's note for the audit trail, as the end of a sentence. */
        String noteSuffix() {
            return result.flatMap(ProviderResult::note).map(n -> " (" + n + ")").orElse("");
        }
    }

    Outcome call(Call c) {
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

    AccessGrant toGrant(AccessRequest r, String action, Optional<Instant> expiresAt) {
        return grantOf(ctx.config(), r, expiresAt, r.id() + ":" + action);
    }

    /** What the provider is asked for {@code r}: the request, and what its policy says to grant. */
    static AccessGrant grantOf(ClearanceConfig config, AccessRequest r, Optional<Instant> expiresAt, String idempotencyKey) {
        Policy policy = config.policyNamed(r.policyName()).orElseGet(() -> config.match(r.resource(), r.account()));
        return new AccessGrant(r.id(), r.requester(), r.resource(), r.account(), r.scope(), expiresAt,
                idempotencyKey, policy.name(), policy.grant());
    }

    void change(RequestId id, Consumer<AccessRequest> mutation) {
        changed(id, found -> {
            found.ifPresent(mutation);
            return null;
        });
    }

    /** Reads and changes the request in one transaction; a lost compare-and-swap re-reads and runs again. */
    <T> T changed(RequestId id, Function<Optional<AccessRequest>, T> work) {
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
