package dev.clearance.core.port;

import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;

import java.util.Optional;
import java.util.Set;

/**
 * A listing filter; newest first.
 *
 * @param statuses   empty means any status
 * @param scopeUnder requests at this scope or below
 */
public record RequestQuery(Set<Status> statuses, Optional<ScopePath> scopeUnder, Optional<UserEmail> requester,
                           int page, int size) {
    public RequestQuery {
        statuses = Set.copyOf(statuses);
    }
}
