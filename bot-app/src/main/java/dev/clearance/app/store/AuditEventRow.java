package dev.clearance.app.store;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;

/** One audit line; inserted, never updated or deleted (its own aggregate, so saving a request never rewrites it). */
@Table("audit_event")
class AuditEventRow {
    @Id
    Long id;
    String requestId;
    Instant at;
    String actor;
    String fromStatus;
    String toStatus;
    String reason;
    String channel;
    String principal;
}
