package dev.clearance.app.process;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An acknowledgement is a promise: the packaged application is killed with SIGKILL right after (or while) it
 * acknowledges a burst of intakes and approvals, and everything it acknowledged must be in the database, every
 * grant the access provider saw must have its APPROVED request and its REVOKE timer, and a restart carries on.
 * Three rounds on one database, each killed at a different point, on H2 and on PostgreSQL.
 */
class DurabilityCrashIT {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DurabilityCrashIT.class);
    private static final String ACCOUNT = "123456789012";
    private static final String RESOURCE = "ec2:StopInstances";
    private static final String APPROVER = "pat@example.com";

    record Acks(Set<String> intakes, Set<String> approvals) {
        static Acks empty() {
            return new Acks(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void killMinus9LosesNothingAcknowledged(String database) throws Exception {
        Path dir = Path.of("target", "crash", database + "-" + UUID.randomUUID());
        TestTarget db = target(database, dir);
        Path config = Path.of("../config/clearance.example.yml").toAbsolutePath();
        Acks all = Acks.empty();
        try (WebhookReceiver provider = new WebhookReceiver()) {
            String[] args = {"--clearance.config=" + config, "--clearance.access-provider.type=webhook",
                    "--clearance.access-provider.webhook.url=" + provider.url(), "--clearance.outbox.poll-interval=200ms"};
            Map<String, String> env = Map.of("CLEARANCE_WEBHOOK_SECRET", WebhookReceiver.SECRET);
            // round 1: a burst of intakes, killed right after the last acknowledgement
            ChildApp app = ChildApp.start(database + "-1", db, dir, env, args);
            Acks round = burst(app, "r1", 120, 0, -1, app::kill);
            app.kill();
            checkStored(db, round, provider);
            all.intakes().addAll(round.intakes());

            // round 2: intakes and approvals together, killed right after the last approval is acknowledged
            app = ChildApp.start(database + "-2", db, dir, env, args);
            assertAllThere(app, all);
            round = burst(app, "r2", 80, 80, -1, app::kill);
            app.kill();
            checkStored(db, round, provider);
            merge(all, round);

            // round 3: killed mid-burst, with requests in flight and grants going out to the provider
            app = ChildApp.start(database + "-3", db, dir, env, args);
            assertAllThere(app, all);
            round = burst(app, "r3", 100, 100, 90, app::kill);
            app.kill();
            checkStored(db, round, provider);
            merge(all, round);

            // while it is down, the timebox of every active grant runs out (stored deadlines moved into the past)
            List<String> dueWhileDown = expireActiveGrants(db);

            Instant healthy;
            // the last start: nothing lost, every approval not granted before a kill is granted now, and every
            // revocation that fell due while down runs at once, exactly once
            try (ChildApp last = ChildApp.start(database + "-4", db, dir, env, args)) {
                healthy = Instant.now();
                awaitEnded(last, dueWhileDown);
                assertAllThere(last, all);
                awaitGranted(last, without(all.approvals(), dueWhileDown));
            }
            checkStored(db, Acks.empty(), provider);
            Instant[] firstAndLast = revokedBetween(db, dueWhileDown);
            LOG.info(String.format("%s: %d revocations due while down: the first done %d ms, the last %d ms after the "
                    + "restart was healthy", database, dueWhileDown.size(),
                    Duration.between(healthy, firstAndLast[0]).toMillis(), Duration.between(healthy, firstAndLast[1]).toMillis()));
            for (String id : dueWhileDown) {
                assertThat(provider.calls().stream().filter(c -> c.requestId().equals(id) && c.action().equals("revoke")))
                        .as("revocations of " + id).hasSize(1);
            }
            assertThat(dueWhileDown).as("some grants were active at the last kill").isNotEmpty();
            assertThat(all.intakes()).as("the bursts were acknowledged at all").hasSizeGreaterThan(200);
            assertThat(all.approvals()).hasSizeGreaterThan(80);
        }
    }

    static TestTarget target(String database, Path dir) {
        if (database.equals("h2")) {
            return TestTarget.h2(dir);
        }
        var server = TestDatabase.postgresServer();
        if (server.isEmpty() && "true".equals(System.getenv("CLEARANCE_REQUIRE_POSTGRES"))) {
            throw new AssertionError("CLEARANCE_REQUIRE_POSTGRES=true but CLEARANCE_TEST_PG_URL is not set");
        }
        Assumptions.assumeTrue(server.isPresent(),
                "PostgreSQL run skipped: CLEARANCE_TEST_PG_URL is not set (eval \"$(scripts/postgres-for-tests.sh)\")");
        return TestTarget.postgres(server.get(), dir);
    }

    /**
     * Sends {@code intakes} intakes (justified, so PENDING at once) on three threads and approves the first
     * {@code approvals} of them on a fourth as they are acknowledged. With {@code stopAfterApprovals >= 0}, {@code stop}
     * (SIGKILL here, SIGTERM in CleanStopIT) runs as soon as that many approvals were acknowledged, while the other
     * threads keep sending.
     */
    static Acks burst(ChildApp app, String tag, int intakes, int approvals, int stopAfterApprovals, Runnable stop)
            throws InterruptedException {
        Acks acks = Acks.empty();
        ApiClient api = app.api();
        java.util.concurrent.LinkedBlockingQueue<String> toApprove = new java.util.concurrent.LinkedBlockingQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger approved = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 3; t++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < intakes && app.isAlive(); i = next.getAndIncrement()) {
                    try {
                        ApiClient.Response r = api.post("/api/v1/requests", "{\"requester\":\"" + tag + "-" + i
                                + "@example.com\",\"resource\":\"" + RESOURCE + "\",\"account\":\"" + ACCOUNT
                                + "\",\"justification\":\"crash test\",\"duration\":\"1h\"}");
                        if (r.status() == 201) {
                            acks.intakes().add(r.text("id"));
                            if (i < approvals) {
                                toApprove.add(r.text("id"));
                            }
                        }
                    } catch (RuntimeException killed) {
                        return;
                    }
                }
            });
        }
        pool.submit(() -> {
            while (approved.get() < approvals && app.isAlive()) {
                String id;
                try {
                    id = toApprove.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (id == null) {
                    continue;
                }
                try {
                    ApiClient.Response r = api.post("/api/v1/requests/" + id + "/decisions", "{\"approver\":\"" + APPROVER
                            + "\",\"decision\":\"approve\",\"reason\":\"crash test\"}");
                    if (r.status() == 200) {
                        acks.approvals().add(id);
                        if (approved.incrementAndGet() == stopAfterApprovals) {
                            stop.run();
                        }
                    }
                } catch (RuntimeException killed) {
                    return;
                }
            }
        });
        pool.shutdown();
        assertThat(pool.awaitTermination(3, TimeUnit.MINUTES)).as("the burst finished").isTrue();
        return acks;
    }

    private static void merge(Acks into, Acks round) {
        into.intakes().addAll(round.intakes());
        into.approvals().addAll(round.approvals());
    }

    /** Looks straight into the database of the dead process. */
    private static void checkStored(TestTarget db, Acks acks, WebhookReceiver provider) throws SQLException {
        try (Connection c = db.connect()) {
            Map<String, String[]> rows = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, status, grant_state FROM access_request");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new String[]{rs.getString(2), rs.getString(3)});
                }
            }
            assertThat(rows.keySet()).as("every acknowledged intake is stored").containsAll(acks.intakes());
            List<String> notApproved = new ArrayList<>();
            for (String id : acks.approvals()) {
                String status = rows.get(id) == null ? "missing" : rows.get(id)[0];
                if (!status.equals("APPROVED") && !status.equals("ENDED")) {
                    notApproved.add(id + "=" + status);
                }
                assertThat(count(c, "SELECT COUNT(*) FROM approval_vote WHERE request_id = ? AND approver = ?", id, APPROVER))
                        .as("the acknowledged vote on " + id).isEqualTo(1);
            }
            assertThat(notApproved).as("every acknowledged approval is stored").isEmpty();
            for (String id : provider.granted()) {
                String[] row = rows.get(id);
                assertThat(row).as("the provider granted " + id + ": its request must exist").isNotNull();
                assertThat(row[0]).as("the provider granted " + id + ": it must be APPROVED (or already ENDED)")
                        .isIn("APPROVED", "ENDED");
                if (row[0].equals("APPROVED")) {
                    assertThat(count(c, "SELECT COUNT(*) FROM qrtz_job_details WHERE job_name = ?", "REVOKE:" + id, null))
                            .as("the provider granted " + id + ": its REVOKE timer must be stored").isEqualTo(1);
                }
            }
        }
    }

    private static int count(Connection c, String sql, String a, String b) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, a);
            if (b != null) {
                s.setString(2, b);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Moves the expiry of every ACTIVE grant, and its REVOKE trigger, two minutes into the past. */
    private static List<String> expireActiveGrants(TestTarget db) throws SQLException {
        List<String> ids = new ArrayList<>();
        Instant past = Instant.now().minus(Duration.ofMinutes(2));
        try (Connection c = db.connect()) {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id FROM access_request WHERE status = 'APPROVED' AND grant_state = 'ACTIVE'");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            for (String id : ids) {
                try (PreparedStatement s = c.prepareStatement("UPDATE access_request SET expires_at = ? WHERE id = ?")) {
                    s.setObject(1, java.time.OffsetDateTime.ofInstant(past, java.time.ZoneOffset.UTC));
                    s.setString(2, id);
                    assertThat(s.executeUpdate()).isEqualTo(1);
                }
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE qrtz_triggers SET next_fire_time = ? WHERE job_name = ?")) {
                    s.setLong(1, past.toEpochMilli());
                    s.setString(2, "REVOKE:" + id);
                    assertThat(s.executeUpdate()).as("the REVOKE trigger of " + id).isEqualTo(1);
                }
            }
        }
        return ids;
    }

    /**
     * Waits (bounded) until every request has ENDED, asking about one request at a time: polling all of them at once
     * would compete for the two cores with the revocations being measured.
     */
    private static void awaitEnded(ChildApp app, List<String> ids) {
        ApiClient api = app.api();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        for (String id : ids) {
            while (!"ENDED".equals(api.get("/api/v1/requests/" + id).text("status")) && Instant.now().isBefore(deadline)) {
                ChildApp.pause(50);
            }
            assertThat(api.get("/api/v1/requests/" + id).text("status")).as("revocation due while down: " + id).isEqualTo("ENDED");
        }
    }

    /** When the first and the last of these requests were recorded as revoked (the audit trail's own timestamps). */
    private static Instant[] revokedBetween(TestTarget db, List<String> ids) throws SQLException {
        Instant first = null;
        Instant last = null;
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT at FROM audit_event WHERE request_id = ? AND reason LIKE 'access revoked%'")) {
            for (String id : ids) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Instant at = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
                        first = first == null || at.isBefore(first) ? at : first;
                        last = last == null || at.isAfter(last) ? at : last;
                    }
                }
            }
        }
        return new Instant[]{first, last};
    }

    private static Set<String> without(Set<String> all, List<String> removed) {
        Set<String> rest = new java.util.HashSet<>(all);
        removed.forEach(rest::remove);
        return rest;
    }

    private static void assertAllThere(ChildApp app, Acks acks) {
        ApiClient api = app.api();
        for (String id : acks.intakes()) {
            assertThat(api.get("/api/v1/requests/" + id).status()).as("GET " + id + " after the restart").isEqualTo(200);
        }
        for (String id : acks.approvals()) {
            assertThat(api.get("/api/v1/requests/" + id).text("status")).as(id + " after the restart").isIn("APPROVED", "ENDED");
        }
    }

    /** Waits (bounded) for the restarted process's Quartz thread to run the grants that were due when it died. */
    private static void awaitGranted(ChildApp app, Set<String> approvals) {
        ApiClient api = app.api();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        List<String> waiting = new ArrayList<>(approvals);
        while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
            waiting.removeIf(id -> "ACTIVE".equals(api.get("/api/v1/requests/" + id).body().at("/grant/state").asString()));
            if (!waiting.isEmpty()) {
                ChildApp.pause(200);
            }
        }
        assertThat(waiting).as("approved requests still not granted after the restart").isEmpty();
    }
}
