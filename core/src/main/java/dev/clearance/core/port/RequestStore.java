package dev.clearance.core.port;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;

import java.util.Optional;

/** Persistence of access requests. Updates are compare-and-swap on the request's version. */
public interface RequestStore {
    Optional<AccessRequest> find(RequestId id);

    /**
     * Stores a new request with its audit events and votes.
     *
     * @throws DuplicateActiveRequestException when an active request for the same requester, resource and account exists,
     *                                         or (for an extension) a pending extension of the same grant
     */
    void insert(AccessRequest request);

    /**
     * Stores the changed request with its new audit events and votes, only if nobody stored it since it was read.
     *
     * @throws dev.clearance.core.model.ConcurrentUpdateException when the stored version moved on
     */
    void update(AccessRequest request);

    /** Appends an audit event that changes nothing else (e.g. a delivery failure). */
    void appendAudit(RequestId id, AuditEvent event);

    /** The REQUESTED, PENDING or APPROVED request for this triple, if any. */
    Optional<AccessRequest> findActive(UserEmail requester, String resource, String account);

    Optional<AccessRequest> findByIdempotencyKey(String key);

    /** Every extension request of {@code original}, oldest first. */
    java.util.List<AccessRequest> findExtensionsOf(RequestId original);

    Page<AccessRequest> search(RequestQuery query);

    /**
     * Up to {@code limit} open requests that match {@code filter}, newest first (by creation time, then id), starting
     * after {@code after} when present. The filter is applied by the store, not by reading every open request.
     */
    java.util.List<AccessRequest> pendingCandidates(PendingFilter filter, Optional<PendingFilter.After> after, int limit);

    /** How many of this person's requests wait for them or their approvers (REQUESTED or PENDING). */
    int countOpen(UserEmail requester);

    /** The creation times of this person's requests created after {@code since}, newest first, at most {@code limit}. */
    java.util.List<java.time.Instant> createdSince(UserEmail requester, java.time.Instant since, int limit);

    /**
     * When this person's latest denied request for this resource and account (compared ignoring case; extensions not
     * counted) was denied, if that was after {@code since}.
     */
    Optional<java.time.Instant> lastDenial(UserEmail requester, String resource, String account, java.time.Instant since);

    /** How many further attempts the CloudTrail detector counted on this request while it was open. */
    default int detectedAttempts(RequestId id) {
        return 0;
    }

    /** Every active request (REQUESTED, PENDING or APPROVED), oldest first, at most {@code limit}. */
    java.util.List<AccessRequest> findAllActive(int limit);

    class DuplicateActiveRequestException extends RuntimeException {
        public DuplicateActiveRequestException() {
            super("an active request for the same requester, resource and account exists");
        }
    }
}
