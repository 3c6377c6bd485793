package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
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
 * provider is asked for a request, "re-read the request and change it", and the skeleton of a provider timer
 * ({@link #run}: claim, call, then record success, retry or give up).
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

        /** The provider's own id for what it did, if it gave one. */
        Optional<String> reference() {
            return result.flatMap(ProviderResult::reference);
        }
    }

    /**
     * One kind of provider timer (grant, revoke, extend), as {@link #run} drives it. {@code C} is what the claim hands
     * on to the call and to the recording of its answer.
     */
    interface Step<C> {
        /** In a transaction, on the request as stored (empty: none): claims it for a call, or empty when none is due. */
        Optional<C> claim(Optional<AccessRequest> found);

        /** The provider call; outside any transaction. */
        ProviderResult call(C claimed) throws AccessProviderException;

        /** The time an answer is recorded as of, from now. */
        default Instant answeredAt(Instant now) {
            return now;
        }

        /**
         * Whether the answer is still awaited by the request as stored now; when it moved on, whatever the answer means
         * for it is done here and nothing more is.
         */
        boolean awaited(AccessRequest fresh, C claimed, Outcome outcome, Instant now);

        void succeeded(AccessRequest fresh, C claimed, Outcome outcome, Instant now);

        /** Counts the failed attempt on the request; answers how many have failed. */
        int failed(AccessRequest fresh);

        /** The name a failure is counted under (metrics). */
        String kind();

        /** After this many failed attempts the call is given up. */
        int maxAttempts();

        void retry(AccessRequest fresh, C claimed, String failure, int attempt, Instant retryAt, Instant now);

        void giveUp(AccessRequest fresh, C claimed, String failure, int attempt, Instant now);
    }

    /**
     * Claims the request (committed before the provider is asked), calls the provider outside any transaction, then
     * re-reads the request and records the answer: success, a retry after the backoff, or giving up.
     */
    <C> void run(RequestId id, Step<C> step) {
        Optional<C> claimed = changed(id, step::claim);
        if (claimed.isEmpty()) {
            return;
        }
        Outcome outcome = call(() -> step.call(claimed.get()));
        change(id, fresh -> {
            Instant now = step.answeredAt(ctx.now());
            if (!step.awaited(fresh, claimed.get(), outcome, now)) {
                return;
            }
            if (outcome.failure().isEmpty()) {
                step.succeeded(fresh, claimed.get(), outcome, now);
                return;
            }
            String failure = outcome.failure().get();
            ctx.metrics().providerFailure(step.kind());
            int attempt = step.failed(fresh);
            if (attempt < step.maxAttempts()) {
                Instant retryAt = now.plus(ctx.config().intervals().providerBackoff(attempt));
                step.retry(fresh, claimed.get(), failure, attempt, retryAt, now);
            } else {
                step.giveUp(fresh, claimed.get(), failure, attempt, now);
            }
        });
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
        Policy policy = config.policyOf(r);
        return new AccessGrant(r.id(), r.requester(), r.resource(), r.account(), r.scope(), expiresAt,
                idempotencyKey, policy.name(), policy.grant());
    }

    void change(RequestId id, Consumer<AccessRequest> mutation) {
        changed(id, found -> {
            found.ifPresent(mutation);
            return null;
        });
    }

    /** Reads and changes the request in one transaction, as the timer's ({@link RequestChanges}). */
    <T> T changed(RequestId id, Function<Optional<AccessRequest>, T> work) {
        return RequestChanges.change(ctx, id, TIMER, work);
    }
}
