package dev.clearance.core.model;

/** A refusal the caller can act on; adapters turn each kind into their own answer (HTTP status, ephemeral message). */
public abstract class ClearanceException extends RuntimeException {
    protected ClearanceException(String message) {
        super(message);
    }
}
