package dev.clearance.core.policy;

import java.time.Duration;

/**
 * The timers of the lifecycle.
 *
 * @param providerRetryInitial first wait after a failed grant or revoke; doubles each attempt up to {@code providerRetryMax}
 * @param grantAttempts         grant attempts before the grant is declared failed (revocation is retried forever)
 * @param expiryNotice          how long before a grant ends its requester is told, with a way to ask for more time
 */
public record Intervals(Duration justificationWindow, Duration pendingWindow, Duration escalationInterval,
                        Duration providerRetryInitial, Duration providerRetryMax, int grantAttempts, Duration expiryNotice) {
    public static final Duration DEFAULT_EXPIRY_NOTICE = Duration.ofMinutes(10);

    public Intervals(Duration justificationWindow, Duration pendingWindow, Duration escalationInterval,
                     Duration providerRetryInitial, Duration providerRetryMax, int grantAttempts) {
        this(justificationWindow, pendingWindow, escalationInterval, providerRetryInitial, providerRetryMax, grantAttempts,
                DEFAULT_EXPIRY_NOTICE);
    }

    public static Intervals defaults() {
        return new Intervals(Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(1),
                Duration.ofSeconds(30), Duration.ofMinutes(15), 5, DEFAULT_EXPIRY_NOTICE);
    }

    /** Exponential backoff for provider attempt {@code attempt} (1-based). */
    public Duration providerBackoff(int attempt) {
        Duration d = providerRetryInitial;
        for (int i = 1; i < attempt && d.compareTo(providerRetryMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(providerRetryMax) > 0 ? providerRetryMax : d;
    }
}
