package dev.clearance.core.service;

import dev.clearance.core.policy.Approvers;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.port.Directory;
import dev.clearance.core.port.LifecycleMetrics;
import dev.clearance.core.port.Outbox;
import dev.clearance.core.policy.PolicySource;
import dev.clearance.core.port.RequestStore;
import dev.clearance.core.port.TimerScheduler;
import dev.clearance.core.port.Transactions;

import java.time.Clock;
import java.time.Instant;

/** The ports every application service works through. */
public record LifecycleContext(RequestStore store, Outbox outbox, TimerScheduler timers, Transactions transactions,
                               PolicySource policies, Directory directory, Clock clock, LifecycleMetrics metrics) {
    public Instant now() {
        return clock.instant();
    }

    public ClearanceConfig config() {
        return policies.current();
    }

    public Approvers approvers() {
        return new Approvers(config(), directory);
    }
}
