package dev.clearance.core.model;

public class NotFoundException extends ClearanceException {
    public NotFoundException(String message) {
        super(message);
    }
}
