package dev.clearance.app.metrics;

import dev.clearance.adapters.detection.SqsAttemptConsumer;
import dev.clearance.core.detect.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The detector's Prometheus metrics: events received, what they became (requests opened, attempts counted on existing
 * requests, notices sent, ignored by reason, duplicates), unreadable messages, and how long each message waited in
 * the queue (its maximum is the age of the oldest message at receipt).
 */
public class MicrometerDetectionMetrics implements SqsAttemptConsumer.Metrics {
    private final MeterRegistry registry;
    private final Timer age;

    public MicrometerDetectionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.age = Timer.builder("clearance.detection.message.age")
                .description("How long a detection message waited in the queue before it was received").register(registry);
    }

    @Override
    public void received(Duration waited) {
        registry.counter("clearance.detection.events.received").increment();
        age.record(waited);
    }

    @Override
    public void handled(Verdict verdict) {
        String reason = verdict instanceof Verdict.Ignored ignored ? ignored.reason() : "";
        registry.counter("clearance.detection.events", "verdict", verdict.label(), "reason", reason).increment();
    }

    @Override
    public void unreadable() {
        registry.counter("clearance.detection.events", "verdict", "unreadable", "reason", "").increment();
    }
}
