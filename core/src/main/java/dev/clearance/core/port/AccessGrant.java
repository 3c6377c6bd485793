package dev.clearance.core.port;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What an access provider is asked to grant or revoke.
 *
 * @param expiresAt      empty for "until revoked"
 * @param idempotencyKey the same for every retry of the same action, so the provider can drop duplicates
 * @param policy         the name of the policy the request falls under
 * @param target         what that policy says to grant, for the provider to read (e.g. {@code permission-set})
 */
public record AccessGrant(RequestId requestId, UserEmail requester, String resource, String account, ScopePath scope,
                          Optional<Instant> expiresAt, String idempotencyKey, String policy, Map<String, String> target) {
    public AccessGrant {
        target = Map.copyOf(target);
    }

    /** A grant under a policy that names nothing to grant. */
    public AccessGrant(RequestId requestId, UserEmail requester, String resource, String account, ScopePath scope,
                       Optional<Instant> expiresAt, String idempotencyKey) {
        this(requestId, requester, resource, account, scope, expiresAt, idempotencyKey, "default", Map.of());
    }
}
