package bench.runner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static bench.runner.Bench.TOKEN;
import static bench.runner.Bench.log;

/** Revocation lag: grants of one minute approved in a burst, revoked live and then across a restart of Clearance. */
final class RevocationScenario {
    static final int GRANTS = 1000;

    /** Starts Clearance again on the same data (the restart of the second run). */
    interface Restart {
        Child start(Path jar, Path data) throws java.io.IOException;
    }

    private final BenchReport report;
    private final BenchClient client;
    private final WebhookReceiver provider;
    private final Restart restart;

    RevocationScenario(BenchReport report, BenchClient client, WebhookReceiver provider, Restart restart) {
        this.report = report;
        this.client = client;
        this.provider = provider;
        this.restart = restart;
    }

    /** Both revocation runs: live, then across a restart (which stops {@code c}). */
    void measure(Child c, Path jar, Path data) throws Exception {
        revocations(c);
        try (Child restarted = revocationsAcrossRestart(c, jar, data)) {
            log("revocations after a restart measured");
        }
    }

    private void revocations(Child c) throws Exception {
        log("revocation lag: " + GRANTS + " grants of one minute");
        List<String> ids = grantBurst(c);
        awaitAll(provider.revokes, ids, Duration.ofMinutes(5), "revokes");
        recordLag(GRANTS + " grants of one minute, approved in one burst", ids, null);
    }

    /** The same burst, with the application stopped before the grants end and started again after they all have. */
    private Child revocationsAcrossRestart(Child c, Path jar, Path data) throws Exception {
        log("revocation lag after a restart: " + GRANTS + " grants of one minute");
        List<String> ids = grantBurst(c);
        Instant lastExpiry = ids.stream().map(id -> provider.grants.get(id).expiresAt()).max(Instant::compareTo).orElseThrow();
        c.close();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), lastExpiry).toMillis()) + 5_000);
        Child again = restart.start(jar, data);
        again.awaitHealthy(Duration.ofMinutes(2));
        Instant healthy = Instant.now();
        awaitAll(provider.revokes, ids, Duration.ofMinutes(5), "revokes after the restart");
        recordLag(GRANTS + " grants that ended while stopped, from healthy again", ids, healthy);
        return again;
    }

    /** {@link #GRANTS} requests, justified, and approved in a burst for one minute (an approver may shorten); returns their ids once all are granted. */
    private List<String> grantBurst(Child c) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            List<java.util.concurrent.Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < GRANTS; i++) {
                ids.add(pool.submit(() -> {
                    return BenchClient.createdId(http.send(client.intakeWith(c, ",\"justification\":\"revocation bench\",\"duration\":\"15m\""),
                            HttpResponse.BodyHandlers.ofString()));
                }));
            }
            List<String> created = new ArrayList<>();
            for (java.util.concurrent.Future<String> f : ids) {
                created.add(f.get());
            }
            List<java.util.concurrent.Future<Integer>> decisions = new ArrayList<>();
            for (String id : created) {
                decisions.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(c.url("/api/v1/requests/" + id + "/decisions")))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"approver\":\"pat@example.com\",\"decision\":\"approve\",\"reason\":\"bench\",\"duration\":\"PT1M\"}"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (java.util.concurrent.Future<Integer> f : decisions) {
                if (f.get() != 200) {
                    throw new IllegalStateException("a decision answered " + f.get());
                }
            }
            awaitAll(provider.grants, created, Duration.ofMinutes(3), "grants");
            return created;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitAll(Map<String, WebhookReceiver.Call> calls, List<String> ids, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!calls.keySet().containsAll(ids)) {
            if (System.nanoTime() > deadline) {
                long missing = ids.stream().filter(id -> !calls.containsKey(id)).count();
                throw new IllegalStateException(missing + " of " + ids.size() + " " + what + " did not arrive within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** Lag of each revoke: its arrival minus the later of its expiry and {@code notBefore} (a restart's healthy time). */
    private void recordLag(String label, List<String> ids, Instant notBefore) {
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
        for (String id : ids) {
            WebhookReceiver.Call r = provider.revokes.get(id);
            Instant due = notBefore != null && notBefore.isAfter(r.expiresAt()) ? notBefore : r.expiresAt();
            h.recordValue(Math.max(0, Duration.between(due, r.arrived()).toMillis()));
        }
        report.lag.put(label, new double[]{h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue()});
        log(String.format(Locale.ROOT, "revocation lag, %s: p50 %d ms, p99 %d ms, max %d ms", label,
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue()));
    }
}
