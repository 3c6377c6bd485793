package dev.clearance.core.model;

public final class NotFoundException extends ClearanceException {
    public NotFoundException(String message) {
        super(message);
    }
}
