package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ConcurrentUpdateException;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.NotFoundException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;

import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Reads a request and changes it in one transaction. The store's update is a compare-and-swap: when a concurrent change
 * won, the whole read-and-change runs again on the request as it is now, so the second of two racing decisions is
 * judged against the first one's outcome ("already decided by …"). After a few lost rounds it gives up with a
 * {@link ConflictException} (HTTP 409; a timer is run again later).
 */
final class RequestChanges {
    static final int ATTEMPTS = 5;
    private static final Logger LOG = Logger.getLogger(RequestChanges.class.getName());

    private RequestChanges() {
    }

    /** A command on a request that must exist ({@link NotFoundException} otherwise). */
    static <T> T existing(LifecycleContext ctx, RequestId id, Origin origin, Function<AccessRequest, T> work) {
        return change(ctx, id, origin, found -> work.apply(found.orElseThrow(() -> new NotFoundException("no request " + id))));
    }

    /** {@code work} gets the request as stored now (empty when there is none), its changes stamped with {@code origin}. */
    static <T> T change(LifecycleContext ctx, RequestId id, Origin origin, Function<Optional<AccessRequest>, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return ctx.transactions().inTransaction(() -> work.apply(ctx.store().find(id).map(r -> r.actingVia(origin))));
            } catch (ConcurrentUpdateException lost) {
                if (attempt >= ATTEMPTS) {
                    throw new ConflictException("request " + id + " is changing too quickly; try again");
                }
                LOG.fine(() -> "a change of " + id + " lost a race; re-reading");
            }
        }
    }
}
