package dev.clearance.core.port;

import java.time.Duration;

/** What the lifecycle reports for monitoring. */
public interface LifecycleMetrics {
    /** Time from entering PENDING to the final decision. */
    void decided(String outcome, Duration latency);

    /** How late a timer fired compared with when it was due. */
    void timerFired(TimerKind kind, Duration lag);

    /** A provider call failed (it will be retried, or the grant is declared failed). */
    void providerFailure(String action);

    /**
     * What reconciliation with the provider found for one piece of held access: {@code explained} (an active request
     * holds it), {@code removed}, {@code released} (another active request still holds it), {@code unknown} (no such
     * request), {@code failed} (the removal failed; the next round tries again).
     */
    default void reconciled(String outcome) {
    }

    LifecycleMetrics NONE = new LifecycleMetrics() {
        @Override
        public void decided(String outcome, Duration latency) {
        }

        @Override
        public void timerFired(TimerKind kind, Duration lag) {
        }

        @Override
        public void providerFailure(String action) {
        }
    };
}
