package dev.clearance.core.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A new request refused by one of the policy file's {@code limits}: names the limit and when the person may try
 * again. Nothing was changed.
 */
public final class RateLimitedException extends ClearanceException {
    private final String limit;
    private final Instant retryAt;
    private final Duration retryAfter;

    /**
     * @param limit   the setting, as written in the policy file (e.g. {@code limits.open-requests-per-person})
     * @param retryAt when a new attempt may succeed
     * @param now     the time of the refusal, to say how long that is from now
     */
    public RateLimitedException(String limit, String message, Instant retryAt, Instant now) {
        super(message);
        this.limit = limit;
        this.retryAt = retryAt;
        Duration wait = Duration.between(now, retryAt);
        this.retryAfter = wait.isNegative() ? Duration.ZERO : wait;
    }

    public String limit() {
        return limit;
    }

    public Instant retryAt() {
        return retryAt;
    }

    /** How long from the refusal until {@link #retryAt}; never negative. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
