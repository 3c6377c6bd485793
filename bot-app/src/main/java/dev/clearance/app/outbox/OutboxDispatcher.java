package dev.clearance.app.outbox;

import dev.clearance.app.config.ClearanceProperties;
import dev.clearance.app.store.OutboxSignal;
import dev.clearance.core.service.NotificationDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers the outbox: woken right after each local commit that enqueued a message, and polling as the safety net
 * (and to find what other instances enqueued). Several instances may run: claims are short leases that a second
 * thread renews while this instance lives, so a crashed instance's messages are taken over within one lease.
 * One thread claims; a pool of workers delivers a batch's messages, of different requests at once.
 */
@Component
public class OutboxDispatcher implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);
    private final NotificationDelivery delivery;
    private final OutboxSignal signal;
    private final Duration interval;
    private final int batch;
    private final int workerCount;
    private volatile boolean running;
    private Thread dispatcher;
    private ScheduledExecutorService heartbeat;
    private ExecutorService workers;

    OutboxDispatcher(NotificationDelivery delivery, OutboxSignal signal, ClearanceProperties properties) {
        this.delivery = delivery;
        this.signal = signal;
        this.interval = properties.outbox().pollInterval();
        this.batch = properties.outbox().batchSize();
        this.workerCount = properties.outbox().workers();
    }

    @Override
    public void start() {
        if (interval == null || interval.isZero() || interval.isNegative()) {
            LOG.info("outbox dispatcher disabled (clearance.outbox.poll-interval = {})", interval);
            return;
        }
        running = true;
        AtomicInteger workerNumber = new AtomicInteger();
        workers = Executors.newFixedThreadPool(workerCount, r -> {
            Thread t = new Thread(r, "clearance-outbox-" + workerNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        dispatcher = new Thread(this::run, "clearance-outbox");
        dispatcher.setDaemon(true);
        dispatcher.start();
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clearance-outbox-lease");
            t.setDaemon(true);
            return t;
        });
        long renewEvery = NotificationDelivery.LEASE.toMillis() / 3;
        heartbeat.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    }

    private void run() {
        while (running) {
            try {
                while (running && delivery.deliverDue(batch, workers) == batch) {
                    // a full batch: more may be waiting
                }
                signal.await(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("outbox dispatch failed; will retry", e);
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void renew() {
        try {
            delivery.renewClaims();
        } catch (RuntimeException e) {
            LOG.warn("could not renew outbox claims; another instance may take them over", e);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            heartbeat = null;
        }
        if (dispatcher != null) {
            signal.raise();
            try {
                // the batch in hand finishes (each post has its own platform timeout); nothing new is claimed
                dispatcher.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (dispatcher.isAlive()) {
                LOG.warn("outbox dispatcher still delivering at shutdown; its claims run out within {}",
                        NotificationDelivery.LEASE);
            } else {
                try {
                    delivery.releaseClaims();
                } catch (RuntimeException e) {
                    LOG.warn("could not give up outbox claims at shutdown; they run out within {}", NotificationDelivery.LEASE, e);
                }
            }
            dispatcher = null;
        }
        if (workers != null) {
            workers.shutdownNow();
            workers = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
