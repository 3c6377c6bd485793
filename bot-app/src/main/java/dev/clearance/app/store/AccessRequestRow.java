package dev.clearance.app.store;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;

/** The persisted shape of a request: kept apart from the domain aggregate, mapped by {@link JdbcRequestStore}. */
@Table("access_request")
class AccessRequestRow {
    @Id
    String id;
    /** Compare-and-swap: Spring Data JDBC adds {@code WHERE version = ?} to every update. */
    @Version
    Long version;
    String requester;
    String resource;
    String account;
    String scope;
    String source;
    String policyName;
    String status;
    String requestedDuration;
    String approvedDuration;
    String justification;
    int currentStep;
    int escalationLevel;
    Instant createdAt;
    Instant justificationDeadline;
    Instant pendingSince;
    Instant pendingDeadline;
    String decidedBy;
    Instant decidedAt;
    String decisionReason;
    String grantState;
    int providerAttempts;
    Instant grantAttemptSince;
    Instant grantedAt;
    Instant expiresAt;
    String revocationReason;
    String providerReference;
    String idempotencyKey;
    String activeKey;
    String extensionOf;
}
