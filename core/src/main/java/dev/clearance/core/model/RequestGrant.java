package dev.clearance.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The grant side of a request's state machine ({@link AccessRequest#grant()}): grant attempts and the call in flight,
 * the provider's confirmation or the give-up, telling the provider of a new end, and the revocation. Each method keeps
 * the grant state, the attempt count and the in-flight mark consistent, and records what happened.
 * <p>
 * NB: a provider call marked in flight holds back any revocation until its answer is recorded: a revoke must never
 * reach the provider before the grant it would undo.
 */
public final class RequestGrant {
    private final AccessRequest r;
    private final RequestState s;

    RequestGrant(AccessRequest request, RequestState state) {
        this.r = request;
        this.s = state;
    }

    // ----- granting

    /** A grant attempt is claimed: the provider is about to be asked; the attempt is counted and marked in flight. */
    public void attemptStarted(Instant at) {
        require(GrantState.GRANTING, "start a grant attempt");
        s.providerAttempts++;
        s.grantAttemptSince = Objects.requireNonNull(at);
    }

    /** The provider confirmed the attempt claimed at {@code grantedAt}: ACTIVE, the timebox runs until {@code expiry}. */
    public void confirmed(Instant grantedAt, Optional<Instant> expiry, Optional<String> reference, Instant at,
                          String auditLine) {
        require(GrantState.GRANTING, "confirm a grant");
        s.grantState = GrantState.ACTIVE;
        s.grantAttemptSince = null;
        s.providerAttempts = 0;
        s.grantedAt = grantedAt;
        s.expiresAt = expiry.orElse(null);
        r.record(AuditEvent.SYSTEM, at, auditLine);
        reference.ifPresent(ref -> addProviderReference("grant", ref));
    }

    /** The attempt in flight failed; answers how many attempts have failed so far. Another may follow. */
    public int attemptFailed() {
        require(GrantState.GRANTING, "fail a grant attempt");
        s.grantAttemptSince = null;
        return s.providerAttempts;
    }

    /** The provider never confirmed the grant: APPROVED → ENDED without access (FAILED). */
    public void failed(Instant at, String reason) {
        require(GrantState.GRANTING, "give up a grant");
        r.transition(Status.ENDED, AuditEvent.SYSTEM, at, reason);
        s.grantAttemptSince = null;
        enter(GrantState.FAILED);
    }

    /** Approved, but no grant attempt ever claimed: nothing can be live at the provider. */
    public boolean neverAttempted() {
        return s.grantState == GrantState.GRANTING && s.providerAttempts == 0;
    }

    /**
     * The provider call marked in flight (a grant attempt, an extend call) answered, or was taken as lost, after the
     * end was asked: the revocation held back for it may now go to the provider.
     */
    public void inFlightAnsweredAfterEnd(Optional<String> grantReference, Instant at, String auditLine) {
        require(GrantState.REVOKING, "release a held revocation");
        s.grantAttemptSince = null;
        grantReference.ifPresent(ref -> addProviderReference("grant", ref));
        r.record(AuditEvent.SYSTEM, at, auditLine);
    }

    // ----- telling the provider of a new end (an approved extension)

    /** The provider is about to be told the new end; marked in flight like a grant attempt. */
    public void extendStarted(Instant at) {
        require(GrantState.ACTIVE, "send the new end");
        s.grantAttemptSince = Objects.requireNonNull(at);
    }

    /** The extend call sent at {@code sentAt} answered: no longer in flight. False when it was not the call marked. */
    public boolean extendAnswered(Instant sentAt) {
        if (!Objects.equals(s.grantAttemptSince, sentAt)) {
            return false;
        }
        s.grantAttemptSince = null;
        return true;
    }

    /** The provider has the new end; after failed attempts, the audit trail says so. */
    public void extendConfirmed(Instant at, String auditLine) {
        require(GrantState.ACTIVE, "confirm the new end");
        if (s.providerAttempts > 0) {
            s.providerAttempts = 0;
            r.record(AuditEvent.SYSTEM, at, auditLine);
        }
    }

    /** Telling the provider of the new end failed; answers how many attempts have failed so far. */
    public int extendAttemptFailed() {
        require(GrantState.ACTIVE, "fail an extend call");
        return ++s.providerAttempts;
    }

    /** The provider is not told the new end after all attempts; Clearance still revokes on time. */
    public void extendGivenUp(Instant at, String auditLine) {
        require(GrantState.ACTIVE, "give up an extend call");
        s.providerAttempts = 0;
        r.record(AuditEvent.SYSTEM, at, auditLine);
    }

    // ----- the end

    /**
     * An early end was asked for (admin revoke, requester relinquishing): REVOKING, carried out by the REVOKE timer;
     * while a call is in flight, the provider hears of it only once that call has answered.
     */
    public void revokeStarted(String actor, Instant at, String reason) {
        r.requireStatus(Status.APPROVED, "revoke");
        enter(GrantState.REVOKING);
        s.revocationReason = reason;
        r.record(actor, at, s.grantAttemptSince == null ? reason
                : reason + "; ending once the grant attempt in flight has answered");
    }

    /** Ended before any grant attempt was claimed: APPROVED → ENDED with nothing to take away at the provider. */
    public void endedBeforeGranted(String actor, Instant at, String reason) {
        if (!neverAttempted()) {
            throw new IllegalStateException(s.id + " has had a grant attempt; it ends by revocation");
        }
        r.transition(Status.ENDED, actor, at, reason + "; ended before access was granted");
        enter(GrantState.NONE);
    }

    /** A revoke attempt failed (the end is now REVOKING); answers how many have failed. Retried until it succeeds. */
    public int revokeAttemptFailed() {
        r.requireStatus(Status.APPROVED, "fail a revoke");
        if (s.grantState != GrantState.REVOKING) {
            enter(GrantState.REVOKING);
            s.revocationReason = null;
        }
        return ++s.providerAttempts;
    }

    /** The provider confirmed the revocation: APPROVED → ENDED (REVOKED). */
    public void revoked(Optional<String> reference, Instant at, String reason) {
        r.transition(Status.ENDED, AuditEvent.SYSTEM, at, reason);
        s.grantAttemptSince = null;
        enter(GrantState.REVOKED);
        reference.ifPresent(ref -> addProviderReference("revoke", ref));
    }

    // ----- helpers

    private void enter(GrantState state) {
        s.grantState = state;
        s.providerAttempts = 0;
    }

    private void addProviderReference(String label, String reference) {
        String entry = label + ": " + reference;
        s.providerReference = s.providerReference == null ? entry : s.providerReference + "; " + entry;
    }

    private void require(GrantState expected, String what) {
        r.requireStatus(Status.APPROVED, what);
        if (s.grantState != expected) {
            throw new IllegalStateException("cannot " + what + " on " + s.id + ": its grant is " + s.grantState);
        }
    }
}
