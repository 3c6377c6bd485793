package dev.clearance.adapters.access;

import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider;

/**
 * Records grants in the store only (the request's grant state and audit trail say what was granted and when);
 * for trying Clearance out, or when another system reads the API to enforce access.
 */
public final class NoneAccessProvider implements AccessProvider {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public void grant(AccessGrant grant) {
        // Nothing to call: the store records the grant.
    }

    @Override
    public void revoke(AccessGrant grant) {
        // Nothing to call: the store records the revocation.
    }
}
