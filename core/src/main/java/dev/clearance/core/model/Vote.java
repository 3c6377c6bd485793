package dev.clearance.core.model;

import java.time.Instant;

/** An approval recorded at one step. A deny is not a vote: it ends the request. */
public record Vote(int step, UserEmail approver, Instant at, String reason, AccessDuration durationOverride) {
}
