package dev.clearance.core.port;

import dev.clearance.core.model.RequestId;

import java.time.Instant;

/**
 * The CloudTrail events the detector acted on, by their {@code eventID}: what makes a redelivered event (SQS delivers
 * at least once) change nothing, and how attempts made while a request is open are counted on it.
 */
public interface DetectedEvents {
    /**
     * Records that event {@code eventId} was acted on ({@code outcome}: opened, counted, notice), for {@code request}
     * when there is one; false, changing nothing, when it already was. Joins the caller's transaction.
     */
    boolean record(String eventId, RequestId request, String outcome, Instant receivedAt);

    /** Whether event {@code eventId} was acted on already. */
    boolean seen(String eventId);

    /** How many events were recorded against {@code request} (the one that opened it included). */
    int attemptsOn(RequestId request);
}
