package dev.clearance.app.outbox;

import dev.clearance.app.config.ClearanceProperties;
import dev.clearance.core.service.NotificationDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Polls the outbox and hands due messages to the chat channels. Several instances may run: claims are leased. */
@Component
public class OutboxDispatcher implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);
    private final NotificationDelivery delivery;
    private final Duration interval;
    private final int batch;
    private ScheduledExecutorService executor;

    OutboxDispatcher(NotificationDelivery delivery, ClearanceProperties properties) {
        this.delivery = delivery;
        this.interval = properties.outbox().pollInterval();
        this.batch = properties.outbox().batchSize();
    }

    @Override
    public void start() {
        if (interval == null || interval.isZero() || interval.isNegative()) {
            LOG.info("outbox dispatcher disabled (clearance.outbox.poll-interval = {})", interval);
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clearance-outbox");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            while (delivery.deliverDue(batch) == batch) {
                // a full batch: more may be waiting
            }
        } catch (RuntimeException e) {
            LOG.warn("outbox dispatch failed; will retry", e);
        }
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
