package dev.clearance.core.notify;

/** What a chat message is about. The card renderers have one layout per kind. */
public enum NotificationKind {
    /** To the requester on REQUESTED: justify (with a duration) or say No. A live copy, updated as the request moves. */
    JUSTIFICATION_PROMPT(true),
    /** To an approver of the current step (or an escalation recipient): Approve / Deny. A live copy. */
    APPROVAL_REQUEST(true),
    /** Re-render every live copy of a request from its current state. */
    REFRESH_COPIES(false),
    REQUEST_SUBMITTED(false),
    REQUEST_APPROVED(false),
    REQUEST_DENIED(false),
    REQUEST_EXPIRED(false),
    REQUEST_ABANDONED_EXPIRED(false),
    REQUEST_CANCELLED(false),
    ACCESS_GRANTED(false),
    ACCESS_ENDED(false),
    /** To the requester shortly before the grant ends: when, and Extend while it applies. A live copy. */
    EXPIRY_NOTICE(true),
    /** Intake for a disabled service: no request, only this notice. */
    SERVICE_DISABLED(false),
    /** Intake refused before anything was stored: the access provider cannot grant it (no such user, …). No request. */
    CANNOT_GRANT(false),
    /** To admins: the same refusal, so that they fix the directory or the policy. No request. */
    ADMIN_CANNOT_GRANT(false),
    /**
     * To admins: the provider did not confirm a grant; the request ended. The access may still have been granted (a
     * call that failed after it acted): reconciliation looks, removes it and reports back.
     */
    ADMIN_GRANT_FAILED(false),
    /** To admins: reconciliation confirmed that the provider holds nothing for a grant declared failed. */
    ADMIN_GRANT_FAILED_CONFIRMED(false),
    /** To admins: reconciliation found access at the provider that no active request explains, and removed it. */
    ADMIN_LEFTOVER_REMOVED(false),
    /** To admins: revocation keeps failing and is being retried. */
    ADMIN_REVOKE_FAILING(false),
    /** To admins: a message could not be delivered (unknown user, blocked bot, …). */
    ADMIN_DELIVERY_FAILED(false),
    /**
     * To admins, at startup: an active request is in another scope than its account's (filed with a scope of the
     * requester's choice before that was refused), so the wrong people could approve it. No request view: the facts
     * are in the params.
     */
    ADMIN_SCOPE_MISMATCH(false);

    private final boolean liveCopy;

    NotificationKind(boolean liveCopy) {
        this.liveCopy = liveCopy;
    }

    /** Live copies are remembered by (channel, message id) and updated whenever the request changes. */
    public boolean isLiveCopy() {
        return liveCopy;
    }

    public boolean isAdminAlert() {
        return name().startsWith("ADMIN_");
    }
}
