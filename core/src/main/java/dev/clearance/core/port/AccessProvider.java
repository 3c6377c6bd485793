package dev.clearance.core.port;

import java.util.List;
import java.util.Optional;

/** Grants and revokes the actual permission. One attempt per call; retries are the caller's (durable) business. */
public interface AccessProvider {
    String name();

    /** Grants the access; what it answers goes on the request (its reference) and its audit trail (its note). */
    ProviderResult grant(AccessGrant grant) throws AccessProviderException;

    /** Takes the access away; called again until it succeeds, so a repeated call for the same grant is harmless. */
    ProviderResult revoke(AccessGrant grant) throws AccessProviderException;

    /**
     * The grant now ends at {@code grant.expiresAt()}. Clearance revokes on time by its own timer either way; a provider
     * whose grants carry their own end (an expiring assignment, a signed session) overrides this to move it.
     */
    default void extend(AccessGrant grant) throws AccessProviderException {
    }

    /**
     * Why this access could not be granted, when the provider can tell before anyone approves (a person it does not
     * know, a policy that names nothing to grant); empty when it sees no reason. Asked at intake and by the dry run,
     * and answered from the provider's own directory, so it may call out.
     */
    default Optional<GrantObstacle> whyCannotGrant(AccessGrant grant) {
        return Optional.empty();
    }

    /**
     * What the provider holds now that Clearance granted, asked of the provider itself: reconciliation removes any of
     * it that no active request explains. Empty when the provider cannot tell (a webhook receiver without the
     * {@code reconcile} call); standing access Clearance did not make is never listed.
     */
    default Optional<List<HeldAccess>> held() throws AccessProviderException {
        return Optional.empty();
    }

    class AccessProviderException extends Exception {
        public AccessProviderException(String message) {
            super(message);
        }

        public AccessProviderException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
