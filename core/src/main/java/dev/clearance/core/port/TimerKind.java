package dev.clearance.core.port;

/** Durable timers; each carries only the request id and re-reads the state when it fires. */
public enum TimerKind {
    /** End of the justification window: REQUESTED → ABANDONED_EXPIRED. */
    JUSTIFICATION_EXPIRY,
    /** End of the pending window: PENDING → EXPIRED. */
    PENDING_EXPIRY,
    /** No decision for an escalation interval: ping the next level up. */
    ESCALATION,
    /** Ask the access provider to grant (retried with backoff). */
    GRANT,
    /** Ask the access provider to revoke, at the end of the timebox or on an early revoke (retried until it succeeds). */
    REVOKE,
    /** Shortly before the grant ends: tell the requester when, with a way to ask for an extension. */
    EXPIRY_NOTICE,
    /** Tell the access provider the new end of an extended grant (retried with backoff). */
    EXTEND,
    /**
     * After a grant declared failed (or a late grant answer on an ended request): ask the provider what it holds for
     * the request and remove it; then once more after a delay, to confirm.
     */
    RECONCILE,
    /** The delayed second look of {@link #RECONCILE}: removes what is found, or confirms that nothing was granted. */
    RECONCILE_CONFIRM
}
