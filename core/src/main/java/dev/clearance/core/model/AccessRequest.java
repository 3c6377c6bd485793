package dev.clearance.core.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The access request aggregate. Status changes go through {@link #transition}, which enforces the
 * transition table and appends the audit event; the application services decide <em>whether</em> a change
 * is allowed (eligibility, deadlines), this class guarantees <em>how</em> it is recorded.
 */
public final class AccessRequest {
    private final RequestId id;
    private final UserEmail requester;
    private final String resource;
    private final String account;
    private final ScopePath scope;
    private final String source;
    private final String policyName;
    private final Instant createdAt;
    private final String idempotencyKey;
    private final Long version;
    /** For an extension request: the approved request whose grant it would extend. */
    private final RequestId extensionOf;

    private Status status;
    private AccessDuration requestedDuration;
    private AccessDuration approvedDuration;
    private String justification;
    private int currentStep;
    private int escalationLevel;
    private Instant justificationDeadline;
    private Instant pendingSince;
    private Instant pendingDeadline;
    private String decidedBy;
    private Instant decidedAt;
    private String decisionReason;
    private GrantState grantState;
    private int providerAttempts;
    /** When the grant attempt now in flight was claimed; null when no attempt is waiting for the provider's answer. */
    private Instant grantAttemptSince;
    private Instant grantedAt;
    private Instant expiresAt;
    private String revocationReason;
    /** The access provider's own ids for what it did (e.g. "created: …; deleted: …"), for tracing it on the platform. */
    private String providerReference;
    private final List<Vote> votes;
    private final List<AuditEvent> history;
    private final List<AuditEvent> newEvents = new ArrayList<>();
    private final List<Vote> newVotes = new ArrayList<>();
    /** How the change being made now arrived; stamped on every audit event it appends. Not stored on the request. */
    private Origin acting;

    private AccessRequest(Builder b) {
        this.id = Objects.requireNonNull(b.id);
        this.requester = Objects.requireNonNull(b.requester);
        this.resource = Objects.requireNonNull(b.resource);
        this.account = Objects.requireNonNull(b.account);
        this.scope = Objects.requireNonNull(b.scope);
        this.source = b.source;
        this.policyName = Objects.requireNonNull(b.policyName);
        this.createdAt = Objects.requireNonNull(b.createdAt);
        this.idempotencyKey = b.idempotencyKey;
        this.version = b.version;
        this.extensionOf = b.extensionOf;
        this.status = Objects.requireNonNull(b.status);
        this.requestedDuration = Objects.requireNonNull(b.requestedDuration);
        this.approvedDuration = b.approvedDuration;
        this.justification = b.justification;
        this.currentStep = b.currentStep;
        this.escalationLevel = b.escalationLevel;
        this.justificationDeadline = b.justificationDeadline;
        this.pendingSince = b.pendingSince;
        this.pendingDeadline = b.pendingDeadline;
        this.decidedBy = b.decidedBy;
        this.decidedAt = b.decidedAt;
        this.decisionReason = b.decisionReason;
        this.grantState = b.grantState == null ? GrantState.NONE : b.grantState;
        this.providerAttempts = b.providerAttempts;
        this.grantAttemptSince = b.grantAttemptSince;
        this.grantedAt = b.grantedAt;
        this.expiresAt = b.expiresAt;
        this.revocationReason = b.revocationReason;
        this.providerReference = b.providerReference;
        this.votes = new ArrayList<>(b.votes);
        this.history = new ArrayList<>(b.history);
    }

    /** A new request; records the creation event. */
    public static AccessRequest create(Builder b, Instant at, String reason, Origin origin) {
        b.version = null;
        AccessRequest r = new AccessRequest(b);
        r.actingVia(origin);
        r.append(new AuditEvent(at, r.requester.value(), null, r.status, reason, origin));
        return r;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Moves to {@code to}; refuses an illegal change with an error naming both states. */
    public void transition(Status to, String actor, Instant at, String reason) {
        Transitions.check(status, to);
        Status from = status;
        status = to;
        append(new AuditEvent(at, actor, from, to, reason, acting));
    }

    /** An audit event that does not change the status (a vote, an escalation, a grant change). */
    public void record(String actor, Instant at, String reason) {
        append(new AuditEvent(at, actor, status, status, reason, acting));
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
        history.add(event);
        newEvents.add(event);
    }

    public void addVote(Vote vote) {
        votes.add(vote);
        newVotes.add(vote);
    }

    public List<Vote> votesAt(int step) {
        return votes.stream().filter(v -> v.step() == step).toList();
    }

    public Optional<Vote> voteOf(UserEmail approver) {
        return votes.stream().filter(v -> v.approver().equals(approver)).findFirst();
    }

    // ----- mutators used by the application services -----

    public void justify(String justification, AccessDuration duration) {
        this.justification = justification;
        this.requestedDuration = duration;
    }

    public void startPending(Instant since, Instant deadline) {
        this.pendingSince = since;
        this.pendingDeadline = deadline;
        this.escalationLevel = 0;
    }

    public void advanceStep() {
        currentStep++;
        escalationLevel = 0;
    }

    public void escalate() {
        escalationLevel++;
    }

    public void decide(String by, Instant at, String reason) {
        this.decidedBy = by;
        this.decidedAt = at;
        this.decisionReason = reason;
    }

    public void approveFor(AccessDuration duration) {
        this.approvedDuration = duration;
    }

    public void grantState(GrantState state) {
        this.grantState = state;
        this.providerAttempts = 0;
    }

    public int nextProviderAttempt() {
        return ++providerAttempts;
    }

    /**
     * A grant attempt is claimed: the provider is about to be asked. Until {@link #grantAttemptAnswered()} records its
     * outcome, a revocation waits (it must never reach the provider before the grant it would undo).
     */
    public void grantAttemptStarted(Instant at) {
        this.grantAttemptSince = Objects.requireNonNull(at);
    }

    /** The grant attempt in flight has answered (or was found lost): a revocation may now go to the provider. */
    public void grantAttemptAnswered() {
        this.grantAttemptSince = null;
    }

    /** When the grant attempt now in flight was claimed; empty when none is. */
    public Optional<Instant> grantAttemptInFlightSince() {
        return Optional.ofNullable(grantAttemptSince);
    }

    public void granted(Instant at, Instant expiresAt) {
        this.grantState = GrantState.ACTIVE;
        this.grantAttemptSince = null;
        this.providerAttempts = 0;
        this.grantedAt = at;
        this.expiresAt = expiresAt;
    }

    /** The grant now ends at {@code newEnd}: an approved extension. The REVOKE timer is moved by the caller. */
    public void extendTo(Instant newEnd) {
        this.expiresAt = Objects.requireNonNull(newEnd);
    }

    /**
     * On an extension request: the end of the grant it extends, shown to approvers while it is pending, and the new
     * end once approved.
     */
    public void extensionEnds(Instant end) {
        this.expiresAt = end;
    }

    /** An early end was asked for (admin revoke, requester relinquishing); the REVOKE timer carries it out. */
    public void requestRevocation(String reason) {
        this.grantState = GrantState.REVOKING;
        this.providerAttempts = 0;
        this.revocationReason = reason;
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

    // ----- accessors -----

    public RequestId id() { return id; }
    public UserEmail requester() { return requester; }
    public String resource() { return resource; }
    public String account() { return account; }
    public ScopePath scope() { return scope; }
    public String source() { return source; }
    public String policyName() { return policyName; }
    public Instant createdAt() { return createdAt; }
    public String idempotencyKey() { return idempotencyKey; }
    /** Null until first stored; the store compares it on every update. */
    public Long version() { return version; }
    /** Present on an extension request: the request whose grant it extends. */
    public Optional<RequestId> extensionOf() { return Optional.ofNullable(extensionOf); }
    public boolean isExtension() { return extensionOf != null; }

    /**
     * What must be unique among live requests, the store enforcing it (a unique index): one REQUESTED, PENDING or
     * APPROVED request per requester, resource and account, and one pending extension per grant. Empty once finished.
     */
    public Optional<String> uniquenessKey() {
        if (extensionOf != null) {
            return status == Status.PENDING ? Optional.of("extension-of|" + extensionOf.value()) : Optional.empty();
        }
        return status.isActive() ? Optional.of(uniquenessKey(requester, resource, account)) : Optional.empty();
    }

    public static String uniquenessKey(UserEmail requester, String resource, String account) {
        return requester.value() + "|" + resource + "|" + account;
    }
    public Status status() { return status; }
    public AccessDuration requestedDuration() { return requestedDuration; }
    public Optional<AccessDuration> approvedDuration() { return Optional.ofNullable(approvedDuration); }
    public Optional<String> justification() { return Optional.ofNullable(justification); }
    public int currentStep() { return currentStep; }
    public int escalationLevel() { return escalationLevel; }
    public Optional<Instant> justificationDeadline() { return Optional.ofNullable(justificationDeadline); }
    public Optional<Instant> pendingSince() { return Optional.ofNullable(pendingSince); }
    public Optional<Instant> pendingDeadline() { return Optional.ofNullable(pendingDeadline); }
    public Optional<String> decidedBy() { return Optional.ofNullable(decidedBy); }
    public Optional<Instant> decidedAt() { return Optional.ofNullable(decidedAt); }
    public Optional<String> decisionReason() { return Optional.ofNullable(decisionReason); }
    public GrantState grantState() { return grantState; }
    public int providerAttempts() { return providerAttempts; }
    public Optional<Instant> grantedAt() { return Optional.ofNullable(grantedAt); }
    public Optional<Instant> expiresAt() { return Optional.ofNullable(expiresAt); }
    public Optional<String> revocationReason() { return Optional.ofNullable(revocationReason); }
    public Optional<String> providerReference() { return Optional.ofNullable(providerReference); }

    /** Adds what the provider called its action (its reference) to what it did before, oldest first. */
    public void addProviderReference(String label, String reference) {
        String entry = label + ": " + reference;
        providerReference = providerReference == null ? entry : providerReference + "; " + entry;
    }
    public List<Vote> votes() { return Collections.unmodifiableList(votes); }
    public List<AuditEvent> history() { return Collections.unmodifiableList(history); }

    public static final class Builder {
        private RequestId id;
        private UserEmail requester;
        private String resource;
        private String account;
        private ScopePath scope;
        private String source;
        private String policyName;
        private Instant createdAt;
        private String idempotencyKey;
        private Long version;
        private RequestId extensionOf;
        private Status status;
        private AccessDuration requestedDuration;
        private AccessDuration approvedDuration;
        private String justification;
        private int currentStep;
        private int escalationLevel;
        private Instant justificationDeadline;
        private Instant pendingSince;
        private Instant pendingDeadline;
        private String decidedBy;
        private Instant decidedAt;
        private String decisionReason;
        private GrantState grantState;
        private int providerAttempts;
        private Instant grantAttemptSince;
        private Instant grantedAt;
        private Instant expiresAt;
        private String revocationReason;
        private String providerReference;
        private List<Vote> votes = List.of();
        private List<AuditEvent> history = List.of();

        public Builder id(RequestId v) { id = v; return this; }
        public Builder requester(UserEmail v) { requester = v; return this; }
        public Builder resource(String v) { resource = v; return this; }
        public Builder account(String v) { account = v; return this; }
        public Builder scope(ScopePath v) { scope = v; return this; }
        public Builder source(String v) { source = v; return this; }
        public Builder policyName(String v) { policyName = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder idempotencyKey(String v) { idempotencyKey = v; return this; }
        public Builder version(Long v) { version = v; return this; }
        public Builder extensionOf(RequestId v) { extensionOf = v; return this; }
        public Builder status(Status v) { status = v; return this; }
        public Builder requestedDuration(AccessDuration v) { requestedDuration = v; return this; }
        public Builder approvedDuration(AccessDuration v) { approvedDuration = v; return this; }
        public Builder justification(String v) { justification = v; return this; }
        public Builder currentStep(int v) { currentStep = v; return this; }
        public Builder escalationLevel(int v) { escalationLevel = v; return this; }
        public Builder justificationDeadline(Instant v) { justificationDeadline = v; return this; }
        public Builder pendingSince(Instant v) { pendingSince = v; return this; }
        public Builder pendingDeadline(Instant v) { pendingDeadline = v; return this; }
        public Builder decidedBy(String v) { decidedBy = v; return this; }
        public Builder decidedAt(Instant v) { decidedAt = v; return this; }
        public Builder decisionReason(String v) { decisionReason = v; return this; }
        public Builder grantState(GrantState v) { grantState = v; return this; }
        public Builder providerAttempts(int v) { providerAttempts = v; return this; }
        public Builder grantAttemptSince(Instant v) { grantAttemptSince = v; return this; }
        public Builder grantedAt(Instant v) { grantedAt = v; return this; }
        public Builder expiresAt(Instant v) { expiresAt = v; return this; }
        public Builder revocationReason(String v) { revocationReason = v; return this; }
        public Builder providerReference(String v) { providerReference = v; return this; }
        public Builder votes(List<Vote> v) { votes = v; return this; }
        public Builder history(List<AuditEvent> v) { history = v; return this; }

        /** Rebuilds a stored request; no audit event is appended. */
        public AccessRequest restore() {
            return new AccessRequest(this);
        }
    }
}
