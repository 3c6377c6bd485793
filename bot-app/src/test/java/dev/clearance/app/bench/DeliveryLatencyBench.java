package dev.clearance.app.bench;

import dev.clearance.app.process.ChildApp;
import dev.clearance.app.process.TestTarget;
import dev.clearance.app.slack.FakeSlack;
import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark, not a test (run by the {@code bench} profile, never by {@code verify}): how long from a change's
 * commit to the chat platform call it causes. Slack is WireMock, which notes when each chat.postMessage arrives;
 * the commit is bounded from below by the outbox row's {@code created_at} (taken inside the transaction, just before
 * commit), so each figure is an upper bound. Intakes at a fixed rate (5/s and 20/s) for {@value #SECONDS} s each.
 * <ul>
 *   <li>one instance: the commit wakes the local dispatcher;</li>
 *   <li>across instances (PostgreSQL): instance A takes the intakes with its dispatcher off, instance B delivers
 *   them, finding them by its poll.</li>
 * </ul>
 */
class DeliveryLatencyBench {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeliveryLatencyBench.class);
    private static final int SECONDS = 15;
    private static final Pattern REQUEST_ID = Pattern.compile("REQ-[0-9A-Z]{8,}");

    @Test
    void commitToPlatformCall() throws Exception {
        StringBuilder report = new StringBuilder();
        var server = TestDatabase.postgresServer();
        for (int rate : new int[]{5, 20}) {
            report.append(run("one instance, H2, " + rate + "/s", TestTarget.h2(dir("h2")), false, rate));
            if (server.isPresent()) {
                report.append(run("one instance, PostgreSQL, " + rate + "/s", TestTarget.postgres(server.get(), dir("pg1")),
                        false, rate));
                report.append(run("two instances, PostgreSQL, " + rate + "/s", TestTarget.postgres(server.get(), dir("pg2")),
                        true, rate));
            }
        }
        if (server.isEmpty()) {
            report.append("PostgreSQL runs skipped: CLEARANCE_TEST_PG_URL is not set\n");
        }
        Path out = Path.of("target", "bench", "delivery-latency.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
        LOG.info("\n{}", report);
    }

    private static Path dir(String name) {
        return Path.of("target", "bench", name + "-" + UUID.randomUUID());
    }

    private static String run(String label, TestTarget db, boolean acrossInstances, int ratePerSecond) throws Exception {
        FakeSlack slack = new FakeSlack();
        slack.stubAnyone();
        Map<String, Instant> firstPost = new ConcurrentHashMap<>();
        slack.onRequest((url, body) -> {
            if (url.endsWith("/chat.postMessage")) {
                Instant at = Instant.now();
                Matcher m = REQUEST_ID.matcher(java.net.URLDecoder.decode(body, StandardCharsets.UTF_8));
                if (m.find()) {
                    firstPost.merge(m.group(), at, (a, b) -> a.isBefore(b) ? a : b);
                }
            }
        });
        Path config = Path.of("../config/clearance.example.yml").toAbsolutePath();
        Map<String, String> env = Map.of("SLACK_BOT_TOKEN", "xoxb-bench", "SLACK_SIGNING_SECRET", "bench-signing-secret",
                "SLACK_API_URL", slack.apiUrl());
        Path logs = Path.of("target", "bench");
        List<ChildApp> apps = new ArrayList<>();
        try {
            ChildApp intake;
            if (acrossInstances) {
                intake = ChildApp.start(label.replaceAll("[^a-zA-Z0-9]+", "-") + "-a", db, logs, env, "--clearance.config=" + config,
                        "--clearance.outbox.poll-interval=0");
                apps.add(intake);
                apps.add(ChildApp.start(label.replaceAll("[^a-zA-Z0-9]+", "-") + "-b", db, logs, env, "--clearance.config=" + config));
            } else {
                intake = ChildApp.start(label.replaceAll("[^a-zA-Z0-9]+", "-"), db, logs, env, "--clearance.config=" + config);
                apps.add(intake);
            }
            ApiClient api = intake.api();
            // warm-up, not measured
            for (int i = 0; i < 50; i++) {
                api.post("/api/v1/requests", body("warm-" + i));
            }
            List<String> ids = new ArrayList<>();
            long periodNanos = 1_000_000_000L / ratePerSecond;
            long next = System.nanoTime();
            for (int i = 0; i < ratePerSecond * SECONDS; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                next += periodNanos;
                ApiClient.Response r = api.post("/api/v1/requests", body("bench-" + i));
                if (r.status() == 201) {
                    ids.add(r.text("id"));
                }
            }
            Instant deadline = Instant.now().plusSeconds(30);
            while (!firstPost.keySet().containsAll(ids) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            // H2 is embedded: read the outbox once the applications have stopped
            apps.forEach(ChildApp::close);
            List<Long> latencies = new ArrayList<>();
            try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                    "SELECT MIN(created_at) FROM outbox_message WHERE request_id = ?")) {
                for (String id : ids) {
                    s.setString(1, id);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        Instant committed = rs.getObject(1, OffsetDateTime.class).toInstant();
                        Instant posted = firstPost.get(id);
                        if (posted != null) {
                            latencies.add(Duration.between(committed, posted).toMillis());
                        }
                    }
                }
            }
            Collections.sort(latencies);
            return String.format("%-38s n=%d  median %d ms  p90 %d ms  p99 %d ms  max %d ms  (not delivered: %d)",
                    label, latencies.size(), pct(latencies, 50), pct(latencies, 90), pct(latencies, 99),
                    latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1), ids.size() - latencies.size());
        } finally {
            apps.forEach(ChildApp::close);
            slack.stop();
        }
    }

    private static String body(String who) {
        return "{\"requester\":\"" + who + "@example.com\",\"resource\":\"ec2:StopInstances\",\"account\":\"123456789012\","
                + "\"justification\":\"benchmark\",\"duration\":\"1h\"}";
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
