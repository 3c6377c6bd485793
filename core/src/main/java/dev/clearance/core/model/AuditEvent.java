package dev.clearance.core.model;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of a request's audit trail. Appended on every transition and on every vote, escalation and
 * grant change (then {@code from} equals {@code to}); never updated or deleted.
 *
 * @param from   null for the event that created the request
 * @param origin how the change arrived (channel and authenticated principal); null only for events recorded before
 *               Clearance kept it
 */
public record AuditEvent(Instant at, String actor, Status from, Status to, String reason, Origin origin) {
    public static final String SYSTEM = "system";

    public AuditEvent(Instant at, String actor, Status from, Status to, String reason) {
        this(at, actor, from, to, reason, null);
    }

    public Optional<Origin> via() {
        return Optional.ofNullable(origin);
    }
}
