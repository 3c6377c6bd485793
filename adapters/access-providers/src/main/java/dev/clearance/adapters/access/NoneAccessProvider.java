package dev.clearance.adapters.access;

import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.ProviderResult;

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
    public ProviderResult grant(AccessGrant grant) {
        return ProviderResult.done(); // nothing to call: the store records the grant
    }

    @Override
    public ProviderResult revoke(AccessGrant grant) {
        return ProviderResult.done(); // nothing to call: the store records the revocation
    }

    /** Nothing is ever granted outside the store, so nothing is held. */
    @Override
    public java.util.Optional<java.util.List<dev.clearance.core.port.HeldAccess>> held() {
        return java.util.Optional.of(java.util.List.of());
    }
}
