package dev.clearance.core.model;

/**
 * The store could not take the change now (lock timeout, lost connection, a transaction found damaged before its
 * commit). The whole command was rolled back, so nothing changed and it is safe to try again.
 */
public final class StoreUnavailableException extends ClearanceException {
    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
