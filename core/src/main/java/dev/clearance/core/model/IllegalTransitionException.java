package dev.clearance.core.model;

public class IllegalTransitionException extends ConflictException {
    private final Status from;
    private final Status to;

    public IllegalTransitionException(Status from, Status to) {
        super("illegal transition from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public Status from() {
        return from;
    }

    public Status to() {
        return to;
    }
}
