package dev.clearance.core.model;

/** A refusal the caller can act on; adapters turn each kind into their own answer (HTTP status, ephemeral message). */
public abstract sealed class ClearanceException extends RuntimeException
        permits ConflictException, ForbiddenException, InvalidInputException, NotFoundException, RateLimitedException,
        StoreUnavailableException {
    protected ClearanceException(String message) {
        super(message);
    }
}
