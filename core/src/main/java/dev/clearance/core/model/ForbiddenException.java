package dev.clearance.core.model;

/** The actor may not do this (not an eligible approver, self-approval forbidden, not an admin). Nothing was changed. */
public final class ForbiddenException extends ClearanceException {
    public ForbiddenException(String message) {
        super(message);
    }
}
