package dev.clearance.core.model;

/** Bad input: names the offending field and what to fix. Nothing was changed. */
public final class InvalidInputException extends ClearanceException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
