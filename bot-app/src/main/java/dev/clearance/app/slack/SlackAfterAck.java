package dev.clearance.app.slack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Where Slack clicks that change nothing (they open or redraw a form) do their work after the ack. Bounded: when it
 * is full, the work runs on the request's own thread, before the ack, as it would without this.
 */
final class SlackAfterAck implements Executor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlackAfterAck.class);
    private final AtomicInteger unfinished = new AtomicInteger();
    private final ThreadPoolExecutor pool;

    SlackAfterAck(int threads) {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000), r -> {
            Thread t = new Thread(r, "slack-after-ack-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable work) {
        unfinished.incrementAndGet();
        pool.execute(() -> {
            try {
                work.run();
            } finally {
                unfinished.decrementAndGet();
            }
        });
    }

    /** Waits until every click handed over so far has done its work (tests; a clean stop). */
    boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unfinished.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    @Override
    public void close() {
        if (!awaitIdle(Duration.ofSeconds(5))) {
            LOG.warn("{} Slack clicks still opening their forms at shutdown", unfinished.get());
        }
        pool.shutdownNow();
    }
}
