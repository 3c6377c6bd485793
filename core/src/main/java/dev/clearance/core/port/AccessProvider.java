package dev.clearance.core.port;

/** Grants and revokes the actual permission. One attempt per call; retries are the caller's (durable) business. */
public interface AccessProvider {
    String name();

    void grant(AccessGrant grant) throws AccessProviderException;

    void revoke(AccessGrant grant) throws AccessProviderException;

    /**
     * The grant now ends at {@code grant.expiresAt()}. Clearance revokes on time by its own timer either way; a provider
     * whose grants carry their own end (an expiring assignment, a signed session) overrides this to move it.
     */
    default void extend(AccessGrant grant) throws AccessProviderException {
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
