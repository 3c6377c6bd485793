package dev.clearance.adapters.access.aws;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The ledger's record of one account assignment: whether Clearance created it or found it there, where its creation
 * or deletion stands on AWS, and which requests hold it now. Changed only inside {@link AssignmentLedger#change}.
 */
public final class Assignment {
    /** Who put the assignment there. */
    public enum Origin {
        /** Clearance created it, and removes it when the last request holding it ends. */
        CLEARANCE,
        /** It was there before Clearance's first grant of it (standing access): never removed by Clearance. */
        STANDING
    }

    public enum State { ABSENT, CREATING, PRESENT, DELETING }

    private final AssignmentKey key;
    private Origin origin;
    private State state;
    private String creationRequestId;
    private String deletionRequestId;
    private String releasedBy;
    private Instant updatedAt;
    private final Set<String> holders;

    public Assignment(AssignmentKey key, Origin origin, State state, String creationRequestId, String deletionRequestId,
                      String releasedBy, Instant updatedAt, Set<String> holders) {
        this.key = key;
        this.origin = origin;
        this.state = state;
        this.creationRequestId = creationRequestId;
        this.deletionRequestId = deletionRequestId;
        this.releasedBy = releasedBy;
        this.updatedAt = updatedAt;
        this.holders = new LinkedHashSet<>(holders);
    }

    /** A key the ledger has never seen. */
    public static Assignment absent(AssignmentKey key, Instant now) {
        return new Assignment(key, Origin.CLEARANCE, State.ABSENT, null, null, null, now, Set.of());
    }

    public AssignmentKey key() { return key; }
    public Origin origin() { return origin; }
    public State state() { return state; }
    /** The CreateAccountAssignment request id; null while the call has not answered (or never will, after a crash). */
    public String creationRequestId() { return creationRequestId; }
    public String deletionRequestId() { return deletionRequestId; }
    /** The request whose end started the deletion. */
    public String releasedBy() { return releasedBy; }
    /** When the state last changed. */
    public Instant updatedAt() { return updatedAt; }
    /** The requests (ids) that hold the assignment now; mutable. */
    public Set<String> holders() { return holders; }

    public void startCreating(Instant now) {
        origin = Origin.CLEARANCE;
        state = State.CREATING;
        creationRequestId = null;
        deletionRequestId = null;
        releasedBy = null;
        updatedAt = now;
    }

    public void creationSent(String requestId, Instant now) {
        creationRequestId = requestId;
        updatedAt = now;
    }

    public void present(Origin by, Instant now) {
        origin = by;
        state = State.PRESENT;
        updatedAt = now;
    }

    public void startDeleting(String releasedByRequest, Instant now) {
        state = State.DELETING;
        deletionRequestId = null;
        releasedBy = releasedByRequest;
        updatedAt = now;
    }

    public void deletionSent(String requestId, Instant now) {
        deletionRequestId = requestId;
        updatedAt = now;
    }

    /** Gone from AWS, or no longer Clearance's business: the next grant looks at AWS afresh. */
    public void absent(Instant now) {
        state = State.ABSENT;
        origin = Origin.CLEARANCE;
        creationRequestId = null;
        deletionRequestId = null;
        updatedAt = now;
    }
}
