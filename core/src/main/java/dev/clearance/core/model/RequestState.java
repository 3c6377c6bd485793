package dev.clearance.core.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every stored field of an access request, declared here once. Filled by intake or by the store rebuilding a row
 * ({@link AccessRequest#builder()}), then owned by the one {@link AccessRequest} built from it: its setters refuse to
 * run after that, so a request changes only through its own transitions.
 */
public final class RequestState {
    RequestId id;
    UserEmail requester;
    String resource;
    String account;
    ScopePath scope;
    String source;
    String policyName;
    Instant createdAt;
    String idempotencyKey;
    Long version;
    /** For an extension request: the approved request whose grant it would extend. */
    RequestId extensionOf;
    Status status;
    AccessDuration requestedDuration;
    AccessDuration approvedDuration;
    String justification;
    int currentStep;
    int escalationLevel;
    Instant justificationDeadline;
    Instant pendingSince;
    Instant pendingDeadline;
    String decidedBy;
    Instant decidedAt;
    String decisionReason;
    GrantState grantState = GrantState.NONE;
    int providerAttempts;
    /** When the provider call now in flight was claimed; null when no call is waiting for the provider's answer. */
    Instant grantAttemptSince;
    Instant grantedAt;
    Instant expiresAt;
    String revocationReason;
    /** The access provider's own ids for what it did (e.g. "created: …; deleted: …"), for tracing it on the platform. */
    String providerReference;
    List<Vote> votes = new ArrayList<>();
    List<AuditEvent> history = new ArrayList<>();
    private boolean owned;

    RequestState() {
    }

    public RequestState id(RequestId v) { open(); id = v; return this; }
    public RequestState requester(UserEmail v) { open(); requester = v; return this; }
    public RequestState resource(String v) { open(); resource = v; return this; }
    public RequestState account(String v) { open(); account = v; return this; }
    public RequestState scope(ScopePath v) { open(); scope = v; return this; }
    public RequestState source(String v) { open(); source = v; return this; }
    public RequestState policyName(String v) { open(); policyName = v; return this; }
    public RequestState createdAt(Instant v) { open(); createdAt = v; return this; }
    public RequestState idempotencyKey(String v) { open(); idempotencyKey = v; return this; }
    public RequestState version(Long v) { open(); version = v; return this; }
    public RequestState extensionOf(RequestId v) { open(); extensionOf = v; return this; }
    public RequestState status(Status v) { open(); status = v; return this; }
    public RequestState requestedDuration(AccessDuration v) { open(); requestedDuration = v; return this; }
    public RequestState approvedDuration(AccessDuration v) { open(); approvedDuration = v; return this; }
    public RequestState justification(String v) { open(); justification = v; return this; }
    public RequestState currentStep(int v) { open(); currentStep = v; return this; }
    public RequestState escalationLevel(int v) { open(); escalationLevel = v; return this; }
    public RequestState justificationDeadline(Instant v) { open(); justificationDeadline = v; return this; }
    public RequestState pendingSince(Instant v) { open(); pendingSince = v; return this; }
    public RequestState pendingDeadline(Instant v) { open(); pendingDeadline = v; return this; }
    public RequestState decidedBy(String v) { open(); decidedBy = v; return this; }
    public RequestState decidedAt(Instant v) { open(); decidedAt = v; return this; }
    public RequestState decisionReason(String v) { open(); decisionReason = v; return this; }
    public RequestState grantState(GrantState v) { open(); grantState = v == null ? GrantState.NONE : v; return this; }
    public RequestState providerAttempts(int v) { open(); providerAttempts = v; return this; }
    public RequestState grantAttemptSince(Instant v) { open(); grantAttemptSince = v; return this; }
    public RequestState grantedAt(Instant v) { open(); grantedAt = v; return this; }
    public RequestState expiresAt(Instant v) { open(); expiresAt = v; return this; }
    public RequestState revocationReason(String v) { open(); revocationReason = v; return this; }
    public RequestState providerReference(String v) { open(); providerReference = v; return this; }
    public RequestState votes(List<Vote> v) { open(); votes = new ArrayList<>(v); return this; }
    public RequestState history(List<AuditEvent> v) { open(); history = new ArrayList<>(v); return this; }

    /** Rebuilds a stored request; no audit event is appended. */
    public AccessRequest restore() {
        return new AccessRequest(this);
    }

    /** Hands the fields to the request built from them; nothing outside it may change them after this. */
    RequestState own() {
        open();
        owned = true;
        return this;
    }

    private void open() {
        if (owned) {
            throw new IllegalStateException("this request was already built; change it through its transitions");
        }
    }
}
