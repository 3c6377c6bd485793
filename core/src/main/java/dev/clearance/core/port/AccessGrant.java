package dev.clearance.core.port;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;

import java.time.Instant;
import java.util.Optional;

/**
 * What an access provider is asked to grant or revoke.
 *
 * @param expiresAt      empty for "until revoked"
 * @param idempotencyKey the same for every retry of the same action, so the provider can drop duplicates
 */
public record AccessGrant(RequestId requestId, UserEmail requester, String resource, String account, ScopePath scope,
                          Optional<Instant> expiresAt, String idempotencyKey) {
}
