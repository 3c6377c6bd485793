package dev.clearance.app.metrics;

import dev.clearance.core.model.Status;
import dev.clearance.core.port.LifecycleMetrics;
import dev.clearance.core.port.Outbox;
import dev.clearance.core.port.TimerKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;

/** Prometheus-facing metrics: requests by status, decision latency, outbox backlog, timer lag, provider failures. */
public class MicrometerLifecycleMetrics implements LifecycleMetrics {
    private final MeterRegistry registry;

    public MicrometerLifecycleMetrics(MeterRegistry registry, JdbcClient jdbc, Outbox outbox) {
        this.registry = registry;
        for (Status status : Status.values()) {
            Gauge.builder("clearance.requests", jdbc, j -> j.sql("SELECT COUNT(*) FROM access_request WHERE status = ?")
                            .param(status.name()).query(Long.class).single())
                    .description("Access requests by status").tag("status", status.name().toLowerCase())
                    .register(registry);
        }
        Gauge.builder("clearance.outbox.backlog", outbox, Outbox::backlog)
                .description("Messages waiting for delivery").register(registry);
    }

    @Override
    public void decided(String outcome, Duration latency) {
        Timer.builder("clearance.decision.latency").description("Time from PENDING to the final decision")
                .tag("outcome", outcome).register(registry).record(latency);
    }

    @Override
    public void timerFired(TimerKind kind, Duration lag) {
        Timer.builder("clearance.timer.lag").description("How late a lifecycle timer fired")
                .tag("kind", kind.name().toLowerCase()).register(registry).record(lag);
    }

    @Override
    public void providerFailure(String action) {
        registry.counter("clearance.provider.failures", "action", action).increment();
    }

    @Override
    public void reconciled(String outcome) {
        registry.counter("clearance.reconcile.held", "outcome", outcome).increment();
    }
}
