package dev.clearance.core.model;

/** Where an access request is in its lifecycle. */
public enum Status {
    /** Waiting for the requester's justification. */
    REQUESTED,
    /** Waiting for approvers. */
    PENDING,
    /** Approved; access is being granted or is active, and the timebox runs. */
    APPROVED,
    DENIED,
    /** No decision within the pending window. */
    EXPIRED,
    /** The requester answered "No" to justifying. */
    ABANDONED,
    /** No justification within the justification window. */
    ABANDONED_EXPIRED,
    /** The requester withdrew it. */
    CANCELLED,
    /** The timebox ended and access was revoked, or an administrator revoked it early. */
    ENDED;

    /** Whether the request can still change; an active request blocks a duplicate intake. */
    public boolean isActive() {
        return this == REQUESTED || this == PENDING || this == APPROVED;
    }
}
