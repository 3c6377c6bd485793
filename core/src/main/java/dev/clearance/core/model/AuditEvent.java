package dev.clearance.core.model;

import java.time.Instant;

/**
 * One line of a request's audit trail. Appended on every transition and on every vote, escalation and
 * grant change (then {@code from} equals {@code to}); never updated or deleted.
 *
 * @param from null for the event that created the request
 */
public record AuditEvent(Instant at, String actor, Status from, Status to, String reason) {
    public static final String SYSTEM = "system";
}
