package dev.clearance.core.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The access request aggregate and its state machine. Every change is one method named for what happened (justified,
 * approved, grant confirmed, revoked, …): it checks the change is legal (status changes against {@link Transitions}),
 * keeps the fields consistent with each other and appends the audit event. The application services decide
 * <em>whether</em> a change is allowed (eligibility, deadlines); this class guarantees <em>how</em> it is recorded.
 * The stored fields are declared once, in {@link RequestState}.
 */
public final class AccessRequest {
    private final RequestState s;
    private final List<AuditEvent> newEvents = new ArrayList<>();
    private final List<Vote> newVotes = new ArrayList<>();
    /** How the change being made now arrived; stamped on every audit event it appends. Not stored on the request. */
    private Origin acting;

    AccessRequest(RequestState state) {
        this.s = state.own();
        Objects.requireNonNull(s.id);
        Objects.requireNonNull(s.requester);
        Objects.requireNonNull(s.resource);
        Objects.requireNonNull(s.account);
        Objects.requireNonNull(s.scope);
        Objects.requireNonNull(s.policyName);
        Objects.requireNonNull(s.createdAt);
        Objects.requireNonNull(s.status);
        Objects.requireNonNull(s.requestedDuration);
    }

    /** A new request; records the creation event. */
    public static AccessRequest create(RequestState b, Instant at, String reason, Origin origin) {
        b.version(null);
        AccessRequest r = new AccessRequest(b);
        r.actingVia(origin);
        r.append(new AuditEvent(at, r.s.requester.value(), null, r.s.status, reason, origin));
        return r;
    }

    public static RequestState builder() {
        return new RequestState();
    }

    // ----- the requester

    /** REQUESTED → PENDING: the justification (and the duration asked for) arrived; the pending window starts. */
    public void justify(String actor, String justification, AccessDuration duration, Instant at, Instant pendingDeadline) {
        transition(Status.PENDING, actor, at, "justified; duration " + duration);
        s.justification = justification;
        s.requestedDuration = duration;
        s.pendingSince = at;
        s.pendingDeadline = pendingDeadline;
        s.escalationLevel = 0;
    }

    /** REQUESTED → ABANDONED: the requester declined to justify. */
    public void abandon(String actor, Instant at) {
        transition(Status.ABANDONED, actor, at, "requester declined to justify");
    }

    /** Withdrawn before a decision (REQUESTED or PENDING → CANCELLED). */
    public void cancel(String actor, Instant at, String reason) {
        transition(Status.CANCELLED, actor, at, reason);
    }

    // ----- deadlines

    /** REQUESTED → ABANDONED_EXPIRED: no justification in time. */
    public void expireJustification(Instant at, String reason) {
        transition(Status.ABANDONED_EXPIRED, AuditEvent.SYSTEM, at, reason);
    }

    /** PENDING → EXPIRED: no decision in time. */
    public void expire(Instant at, String reason) {
        transition(Status.EXPIRED, AuditEvent.SYSTEM, at, reason);
    }

    /** Still pending past an escalation interval: one level further up the approver tree. */
    public void escalate() {
        requireStatus(Status.PENDING, "escalate");
        s.escalationLevel++;
    }

    // ----- the approvers

    /** PENDING → DENIED. */
    public void deny(String by, Instant at, String reason) {
        transition(Status.DENIED, by, at, reason);
        decided(by, at, reason);
    }

    /**
     * A vote for the current step; answers how many approvals the step now has. {@code auditLine} words the audit
     * event from that count.
     */
    public int recordApproval(Vote vote, IntFunction<String> auditLine) {
        requireStatus(Status.PENDING, "approve");
        if (vote.step() != s.currentStep) {
            throw new IllegalStateException("a vote for step " + vote.step() + " while step " + s.currentStep + " is open");
        }
        s.votes.add(vote);
        newVotes.add(vote);
        int count = votesAt(vote.step()).size();
        record(vote.approver().value(), vote.at(), auditLine.apply(count));
        return count;
    }

    /** The current step has its approvals and another follows: its approvers are asked from escalation level 0. */
    public void advanceStep() {
        requireStatus(Status.PENDING, "advance");
        s.currentStep++;
        s.escalationLevel = 0;
    }

    /** The last step's approval: PENDING → APPROVED for {@code duration}; the grant is due (GRANTING). */
    public void approve(String by, AccessDuration duration, Instant at, String reason) {
        if (isExtension()) {
            throw new IllegalStateException("an extension is approved with approveExtension");
        }
        transition(Status.APPROVED, by, at, "approved for " + duration + ": " + reason);
        s.approvedDuration = duration;
        decided(by, at, reason);
        s.grantState = GrantState.GRANTING;
        s.providerAttempts = 0;
    }

    /** An extension's last approval: PENDING → APPROVED; it records the grant's new end. It grants nothing itself. */
    public void approveExtension(String by, AccessDuration duration, Instant newEnd, Instant at, String reason) {
        RequestId original = extensionOf().orElseThrow(() -> new IllegalStateException(s.id + " is no extension"));
        transition(Status.APPROVED, by, at, "approved: " + original + " extended by " + duration + " until " + newEnd
                + ": " + reason);
        s.approvedDuration = duration;
        decided(by, at, reason);
        s.expiresAt = newEnd;
    }

    /** The grant now ends at {@code newEnd}: an approved extension. The REVOKE timer is moved by the caller. */
    public void extendTo(Instant newEnd) {
        requireStatus(Status.APPROVED, "extend");
        s.expiresAt = Objects.requireNonNull(newEnd);
    }

    private void decided(String by, Instant at, String reason) {
        s.decidedBy = by;
        s.decidedAt = at;
        s.decisionReason = reason;
    }

    /** When the provider call now in flight (a grant attempt, an extend call) was claimed; empty when none is. */
    public Optional<Instant> grantAttemptInFlightSince() {
        return Optional.ofNullable(s.grantAttemptSince);
    }

    /** The grant side of the state machine: attempts, confirmation, failure, the end. */
    public RequestGrant grant() {
        return new RequestGrant(this, s);
    }

    // ----- the end

    /** An approved extension ends with the grant it extended (it held no access of its own). */
    public void endWithOriginal(Instant at, String reason) {
        if (!isExtension()) {
            throw new IllegalStateException(s.id + " is no extension");
        }
        transition(Status.ENDED, AuditEvent.SYSTEM, at, reason);
    }

    // ----- audit

    /** Moves to {@code to}; refuses an illegal change with an error naming both states. */
    void transition(Status to, String actor, Instant at, String reason) {
        Transitions.check(s.status, to);
        Status from = s.status;
        s.status = to;
        append(new AuditEvent(at, actor, from, to, reason, acting));
    }

    /** An audit event that changes nothing else (a note from a timer, the original's side of an extension). */
    public void record(String actor, Instant at, String reason) {
        append(new AuditEvent(at, actor, s.status, s.status, reason, acting));
    }

    /**
     * Names how the change about to be made arrived (the channel and what it authenticated); every audit event
     * appended after this carries it. Services set it right after loading the request.
     */
    public AccessRequest actingVia(Origin origin) {
        this.acting = origin;
        return this;
    }

    public Optional<Origin> acting() {
        return Optional.ofNullable(acting);
    }

    private void append(AuditEvent event) {
        s.history.add(event);
        newEvents.add(event);
    }

    void requireStatus(Status expected, String what) {
        if (s.status != expected) {
            throw new IllegalStateException("cannot " + what + " " + s.id + " while it is " + s.status);
        }
    }

    public List<AuditEvent> drainNewEvents() {
        List<AuditEvent> events = List.copyOf(newEvents);
        newEvents.clear();
        return events;
    }

    public List<Vote> drainNewVotes() {
        List<Vote> v = List.copyOf(newVotes);
        newVotes.clear();
        return v;
    }

    public List<Vote> votesAt(int step) {
        return s.votes.stream().filter(v -> v.step() == step).toList();
    }

    public Optional<Vote> voteOf(UserEmail approver) {
        return s.votes.stream().filter(v -> v.approver().equals(approver)).findFirst();
    }

    /**
     * What must be unique among live requests, the store enforcing it (a unique index): one REQUESTED, PENDING or
     * APPROVED request per requester, resource and account, and one pending extension per grant. Empty once finished.
     */
    public Optional<String> uniquenessKey() {
        if (s.extensionOf != null) {
            return s.status == Status.PENDING ? Optional.of("extension-of|" + s.extensionOf.value()) : Optional.empty();
        }
        return s.status.isActive() ? Optional.of(uniquenessKey(s.requester, s.resource, s.account)) : Optional.empty();
    }

    public static String uniquenessKey(UserEmail requester, String resource, String account) {
        return requester.value() + "|" + resource + "|" + account;
    }

    // ----- accessors

    public RequestId id() { return s.id; }
    public UserEmail requester() { return s.requester; }
    public String resource() { return s.resource; }
    public String account() { return s.account; }
    public ScopePath scope() { return s.scope; }
    public String source() { return s.source; }
    public String policyName() { return s.policyName; }
    public Instant createdAt() { return s.createdAt; }
    public String idempotencyKey() { return s.idempotencyKey; }
    /** Null until first stored; the store compares it on every update. */
    public Long version() { return s.version; }
    /** Present on an extension request: the request whose grant it extends. */
    public Optional<RequestId> extensionOf() { return Optional.ofNullable(s.extensionOf); }
    public boolean isExtension() { return s.extensionOf != null; }
    public Status status() { return s.status; }
    public AccessDuration requestedDuration() { return s.requestedDuration; }
    public Optional<AccessDuration> approvedDuration() { return Optional.ofNullable(s.approvedDuration); }
    public Optional<String> justification() { return Optional.ofNullable(s.justification); }
    public int currentStep() { return s.currentStep; }
    public int escalationLevel() { return s.escalationLevel; }
    public Optional<Instant> justificationDeadline() { return Optional.ofNullable(s.justificationDeadline); }
    public Optional<Instant> pendingSince() { return Optional.ofNullable(s.pendingSince); }
    public Optional<Instant> pendingDeadline() { return Optional.ofNullable(s.pendingDeadline); }
    public Optional<String> decidedBy() { return Optional.ofNullable(s.decidedBy); }
    public Optional<Instant> decidedAt() { return Optional.ofNullable(s.decidedAt); }
    public Optional<String> decisionReason() { return Optional.ofNullable(s.decisionReason); }
    public GrantState grantState() { return s.grantState; }
    public int providerAttempts() { return s.providerAttempts; }
    public Optional<Instant> grantedAt() { return Optional.ofNullable(s.grantedAt); }
    /** When access ends; on an extension, the end of the grant it extends (while pending) or its new end (approved). */
    public Optional<Instant> expiresAt() { return Optional.ofNullable(s.expiresAt); }
    public Optional<String> revocationReason() { return Optional.ofNullable(s.revocationReason); }
    public Optional<String> providerReference() { return Optional.ofNullable(s.providerReference); }
    public List<Vote> votes() { return Collections.unmodifiableList(s.votes); }
    public List<AuditEvent> history() { return Collections.unmodifiableList(s.history); }
}
