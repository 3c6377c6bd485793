package dev.clearance.core.policy;

import java.time.Duration;

/**
 * Per-requester limits on new requests, against approval fatigue (a stream of requests until an approver gives in).
 * A zero turns that limit off.
 *
 * @param newRequestAfterDenial    how long after a denial the same access (requester, resource, account) may not be
 *                                 requested again; the same setting is meant for detected attempts
 * @param openRequestsPerPerson    how many requests one person may have waiting (REQUESTED or PENDING)
 * @param requestsPerHourPerPerson how many requests one person may create in any hour
 */
public record Limits(Duration newRequestAfterDenial, int openRequestsPerPerson, int requestsPerHourPerPerson) {
    public static final Duration DEFAULT_NEW_REQUEST_AFTER_DENIAL = Duration.ofHours(1);
    public static final int DEFAULT_OPEN_REQUESTS_PER_PERSON = 10;
    public static final int DEFAULT_REQUESTS_PER_HOUR_PER_PERSON = 20;

    public Limits {
        if (newRequestAfterDenial.isNegative() || openRequestsPerPerson < 0 || requestsPerHourPerPerson < 0) {
            throw new IllegalArgumentException("limits are zero (off) or positive");
        }
    }

    public static Limits defaults() {
        return new Limits(DEFAULT_NEW_REQUEST_AFTER_DENIAL, DEFAULT_OPEN_REQUESTS_PER_PERSON,
                DEFAULT_REQUESTS_PER_HOUR_PER_PERSON);
    }

    /** No limit at all. */
    public static Limits none() {
        return new Limits(Duration.ZERO, 0, 0);
    }
}
