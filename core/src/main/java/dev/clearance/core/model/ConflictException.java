package dev.clearance.core.model;

/** The request is no longer in a state where this applies (already decided, expired, …). Nothing was changed. */
public non-sealed class ConflictException extends ClearanceException {
    public ConflictException(String message) {
        super(message);
    }
}
