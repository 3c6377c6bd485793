package dev.clearance.core.model;

/** Whether the access provider has actually given (or taken away) the access. */
public enum GrantState {
    /** Not approved yet, or never approved. */
    NONE,
    /** Approved; the provider has not confirmed the grant yet (retrying). */
    GRANTING,
    /** The provider confirmed the grant; the timebox runs. */
    ACTIVE,
    /** The provider never confirmed the grant; the request ended without access. */
    FAILED,
    /** Revocation is due; the provider has not confirmed it yet (retrying until it does). */
    REVOKING,
    /** The provider confirmed the revocation. */
    REVOKED
}
