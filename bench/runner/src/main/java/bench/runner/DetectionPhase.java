package bench.runner;

import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** When each of a phase's items was sent and when its effect was seen (0: never), and when the sending ended. */
record DetectionPhase(long[] sent, long[] seen, long sendEnd) {
    long firstSent() {
        long first = Long.MAX_VALUE;
        for (long s : sent) {
            first = Math.min(first, s);
        }
        return first;
    }

    /** Items seen per second, from the first sent to the last seen. */
    String rate() {
        long last = 0;
        int seenCount = 0;
        for (long s : seen) {
            if (s != 0) {
                last = Math.max(last, s);
                seenCount++;
            }
        }
        return DetectionReport.fmt(seenCount / ((last - firstSent()) / 1e9)) + (seenCount < seen.length ? " (" + (seen.length - seenCount)
                + " of " + seen.length + " never seen)" : "");
    }

    String latencies() {
        Histogram h = new Histogram(3);
        for (int i = 0; i < sent.length; i++) {
            if (seen[i] != 0) {
                h.recordValue(Math.max(0, (seen[i] - sent[i]) / 1000));
            }
        }
        return DetectionReport.fmt(h.getValueAtPercentile(50) / 1000.0) + " / " + DetectionReport.fmt(h.getValueAtPercentile(99) / 1000.0) + " / "
                + DetectionReport.fmt(h.getMaxValue() / 1000.0);
    }

    /** Waits until each person's DM got its first post (the justification prompt); gives up after a minute without one. */
    static long[] prompts(FakeSlack slack, String prefix, int n, List<String> notes) throws InterruptedException {
        long[] seen = new long[n];
        int missing = n;
        long lastProgress = System.nanoTime();
        while (missing > 0 && System.nanoTime() - lastProgress < 60_000_000_000L) {
            Thread.sleep(20);
            for (int i = 0; i < n; i++) {
                if (seen[i] == 0) {
                    Long posted = slack.firstPost.get("D" + FakeSlack.userId(prefix + i + "@example.com"));
                    if (posted != null) {
                        seen[i] = posted;
                        missing--;
                        lastProgress = System.nanoTime();
                    }
                }
            }
        }
        if (missing > 0) {
            notes.add(prefix + ": " + missing + " of " + n + " requesters got no prompt within a minute of the last one");
        }
        return seen;
    }

    static void awaitQuiet(FakeSlack slack) throws InterruptedException {
        slack.awaitQuiet();
    }

    /**
     * {@code n} intakes of distinct requesters: with {@code rate} 0, {@code inFlight} at once, each timed from when it
     * was sent; else open model, intake {@code i} due at {@code start + i / rate} and timed from then. With a fake
     * Slack, the effect seen is the requester's prompt; without, the answer.
     */
    static DetectionPhase rest(HttpClient http, Child app, String path, String prefix, int n, String account, FakeSlack slack,
                               double rate, int inFlight, List<String> notes) {
        long[] sent = new long[n];
        long[] answered = new long[n];
        Semaphore slots = new Semaphore(rate > 0 ? 4096 : inFlight);
        AtomicInteger failed = new AtomicInteger();
        CompletableFuture<?>[] all = new CompletableFuture<?>[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int k = i;
            String body = "{\"requester\":\"" + prefix + i + "@example.com\",\"resource\":\"s3:DeleteBucket\",\"account\":\""
                    + account + "\"}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(app.url(path))).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + Bench.TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            if (rate > 0) {
                long due = start + (long) (i * 1e9 / rate);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                sent[k] = due;
            }
            slots.acquireUninterruptibly();
            if (rate <= 0) {
                sent[k] = System.nanoTime();
            }
            all[k] = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                answered[k] = System.nanoTime();
                if (error != null || response.statusCode() != 201) {
                    if (failed.getAndIncrement() == 0) {
                        notes.add(app.name + " " + path + ": " + (error != null ? error : response.statusCode() + " " + response.body()));
                    }
                }
                slots.release();
            });
        }
        CompletableFuture.allOf(all).exceptionally(e -> null).join();
        long end = 0;
        for (long a : answered) {
            end = Math.max(end, a);
        }
        if (failed.get() > 0) {
            notes.add(app.name + " " + path + ": " + failed.get() + " of " + n + " intakes failed");
        }
        try {
            return new DetectionPhase(sent, slack == null ? answered : prompts(slack, prefix, n, notes), end);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
