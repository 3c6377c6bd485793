package dev.clearance.core.port;

import dev.clearance.core.model.RequestId;

/**
 * Access the provider holds now that Clearance granted, as the provider itself reports it (never assumed from
 * Clearance's own records): reconciliation compares these with the requests that explain them.
 *
 * @param requestId   the request the access was granted for
 * @param description what it is, in the provider's terms, for the audit trail and the admins (an assignment, …)
 */
public record HeldAccess(RequestId requestId, String description) {
}
