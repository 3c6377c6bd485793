package dev.clearance.core.port;

import dev.clearance.core.model.RequestId;

import java.time.Instant;

/** Durable timers that survive restarts; a timer due while the application was down fires as soon as it starts. */
public interface TimerScheduler {
    /** Schedules (or moves) the one timer of this kind for this request. */
    void schedule(RequestId id, TimerKind kind, Instant at);

    void cancel(RequestId id, TimerKind kind);
}
