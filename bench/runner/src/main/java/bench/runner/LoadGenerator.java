package bench.runner;

import org.HdrHistogram.Histogram;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Sends HTTP requests in one of two ways and records each latency in an HdrHistogram (microseconds).
 * <ul>
 *   <li><b>Open model</b> ({@link #fixedRate}): request {@code i} is due at {@code start + i / rate}, whether or not
 *       earlier ones have answered, and its latency counts from when it was due, not from when it was sent. A server
 *       that stalls is charged for every request that waited behind the stall (no coordinated omission).</li>
 *   <li><b>Closed model</b> ({@link #maxThroughput}): {@code concurrency} requests in flight at all times; what
 *       completes per second is the throughput.</li>
 * </ul>
 */
public final class LoadGenerator {
    /** One request to send: the i-th of a run. */
    public interface RequestFactory extends IntFunction<HttpRequest> {
    }

    public record Result(Histogram latencyMicros, int sent, int ok, int failed, Duration elapsed, String firstFailure) {
        public double throughput() {
            return ok / (elapsed.toNanos() / 1e9);
        }

        public double millis(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final HttpClient client;
    private final int expectedStatus;
    /** An answer with the expected status still fails when its body says so (a chat ack that carries a refusal). */
    private final java.util.function.Predicate<String> refusal;

    public LoadGenerator(int expectedStatus) {
        this(expectedStatus, body -> false);
    }

    public LoadGenerator(int expectedStatus, java.util.function.Predicate<String> refusal) {
        this.refusal = refusal;
        // NB: HTTP/1.1 to loopback; the client's own pool opens as many connections as there are requests in flight
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        this.expectedStatus = expectedStatus;
    }

    /** Open model: {@code rate} requests per second for {@code duration}; at most {@code maxInFlight} outstanding. */
    public Result fixedRate(RequestFactory requests, double rate, Duration duration, int maxInFlight) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        int total = (int) Math.round(rate * duration.toNanos() / 1e9);
        long intervalNanos = (long) (1e9 / rate);
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CompletableFuture<?>[] all = new CompletableFuture<?>[total];
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            // a saturated server: the generator waits for a slot, and the wait is part of the latency (counted from due)
            inFlight.acquireUninterruptibly();
            all[i] = client.sendAsync(requests.apply(i), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        long micros = (System.nanoTime() - due) / 1000;
                        synchronized (h) {
                            h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
                        }
                        record(response, error, ok, failed, failures);
                        inFlight.release();
                    });
        }
        CompletableFuture.allOf(all).exceptionally(e -> null).join();
        return new Result(synchronizedCopy(h), total, ok.get(), failed.get(), Duration.ofNanos(System.nanoTime() - start),
                failures.peek());
    }

    /** Closed model: {@code concurrency} requests always in flight for {@code duration}. */
    public Result maxThroughput(RequestFactory requests, int concurrency, Duration duration) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        AtomicLong lastCompletion = new AtomicLong(start);
        CompletableFuture<?>[] loops = new CompletableFuture<?>[concurrency];
        for (int c = 0; c < concurrency; c++) {
            loops[c] = loop(requests, next, end, h, ok, failed, failures, lastCompletion);
        }
        CompletableFuture.allOf(loops).join();
        return new Result(synchronizedCopy(h), next.get(), ok.get(), failed.get(),
                Duration.ofNanos(lastCompletion.get() - start), failures.peek());
    }

    private CompletableFuture<Void> loop(RequestFactory requests, AtomicInteger next, long end, Histogram h,
                                         AtomicInteger ok, AtomicInteger failed, ConcurrentLinkedQueue<String> failures,
                                         AtomicLong lastCompletion) {
        if (System.nanoTime() >= end) {
            return CompletableFuture.completedFuture(null);
        }
        long sent = System.nanoTime();
        return client.sendAsync(requests.apply(next.getAndIncrement()), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    long now = System.nanoTime();
                    synchronized (h) {
                        h.recordValue(Math.min((now - sent) / 1000, h.getHighestTrackableValue()));
                    }
                    lastCompletion.accumulateAndGet(now, Math::max);
                    record(response, error, ok, failed, failures);
                    return null;
                })
                .thenCompose(ignored -> loop(requests, next, end, h, ok, failed, failures, lastCompletion));
    }

    private void record(HttpResponse<String> response, Throwable error, AtomicInteger ok, AtomicInteger failed,
                        ConcurrentLinkedQueue<String> failures) {
        if (error == null && response.statusCode() == expectedStatus && !refusal.test(response.body())) {
            ok.incrementAndGet();
        } else {
            failed.incrementAndGet();
            if (failures.size() < 5) {
                failures.add(error != null ? error.toString() : response.statusCode() + " " + abbreviate(response.body()));
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static Histogram synchronizedCopy(Histogram h) {
        synchronized (h) {
            return h.copy();
        }
    }
}
