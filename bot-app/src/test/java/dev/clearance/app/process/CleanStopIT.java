package dev.clearance.app.process;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM in the middle of a burst of intakes, approvals and grants: the process finishes what it acknowledged,
 * stops claiming outbox messages, lets running timers finish, and exits 0. Nothing acknowledged is missing, no outbox
 * message is left claimed and no timer is left mid-run; after a restart every approval is granted and every message
 * delivered.
 */
class CleanStopIT {
    private static final Logger LOG = LoggerFactory.getLogger(CleanStopIT.class);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void sigtermFinishesWhatWasAcknowledgedAndExitsZero(String database) throws Exception {
        Path dir = Path.of("target", "clean-stop", database + "-" + UUID.randomUUID());
        TestTarget db = DurabilityCrashIT.target(database, dir);
        Path config = Path.of("../config/clearance.example.yml").toAbsolutePath();
        try (WebhookReceiver provider = new WebhookReceiver()) {
            String[] args = {"--clearance.config=" + config, "--clearance.access-provider.type=webhook",
                    "--clearance.access-provider.webhook.url=" + provider.url(), "--clearance.outbox.poll-interval=200ms"};
            Map<String, String> env = Map.of("CLEARANCE_WEBHOOK_SECRET", WebhookReceiver.SECRET);
            ChildApp app = ChildApp.start(database + "-1", db, dir, env, args);
            // SIGTERM after the 15th approval, mid-burst, while intakes and approvals keep coming
            DurabilityCrashIT.Acks acks = DurabilityCrashIT.burst(app, "stop", 400, 400, 15, app::terminate);
            Set<String> intakes = acks.intakes();
            Set<String> approvals = acks.approvals();
            int exit = app.awaitExit(Duration.ofSeconds(90));
            assertThat(exit).as("exit code after SIGTERM; see " + app.log()).isZero();
            assertThat(app.logText()).contains("Graceful shutdown complete");

            try (Connection c = db.connect()) {
                Map<String, String> status = statuses(c);
                assertThat(status.keySet()).as("every acknowledged intake is stored").containsAll(intakes);
                for (String id : approvals) {
                    assertThat(status.get(id)).as("acknowledged approval of " + id).isIn("APPROVED", "ENDED");
                }
                assertThat(count(c, "SELECT COUNT(*) FROM outbox_message WHERE state = 'PENDING' AND claimed_until IS NOT NULL"))
                        .as("no outbox message left claimed").isZero();
                assertThat(count(c, "SELECT COUNT(*) FROM qrtz_fired_triggers")).as("no timer left mid-run").isZero();
            }
            assertThat(intakes).as("the burst was acknowledged at all").hasSizeGreaterThan(30);
            assertThat(approvals).hasSizeGreaterThan(10);

            try (ChildApp again = ChildApp.start(database + "-2", db, dir, env, args)) {
                Instant deadline = Instant.now().plusSeconds(60);
                // bounded wait for the restarted process to work off what the first one left for later
                // NB: "granted" means the grant is recorded, not only that the provider was called: the messages it
                // causes are enqueued when that transaction commits, a moment after the call
                while (Instant.now().isBefore(deadline)
                        && !(provider.granted().containsAll(approvals) && grantsRecorded(again, approvals) && backlog(again) == 0)) {
                    ChildApp.pause(200);
                }
                assertThat(provider.granted()).as("every acknowledged approval is granted").containsAll(approvals);
                assertThat(backlog(again)).as("every message delivered").isZero();
                for (String id : approvals) {
                    assertThat(provider.calls().stream().filter(call -> call.requestId().equals(id) && call.action().equals("grant")))
                            .as("grants of " + id).hasSizeBetween(1, 2); // a retried webhook call carries the same idempotency key
                }
                again.terminate();
                assertThat(again.awaitExit(Duration.ofSeconds(90))).isZero();
            }
            LOG.info("{}: {} intakes and {} approvals acknowledged before and during SIGTERM", database, intakes.size(),
                    approvals.size());
        }
    }

    private static Map<String, String> statuses(Connection c) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, status FROM access_request"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }

    /** The running process's outbox backlog, from its Prometheus endpoint (H2 is locked by the process). */
    private static boolean grantsRecorded(ChildApp app, Set<String> approvals) {
        for (String id : approvals) {
            var r = app.api().get("/api/v1/requests/" + id);
            var grant = r.body().get("grant");
            if (grant == null || grant.get("grantedAt") == null) {
                return false;
            }
        }
        return true;
    }

    private static long backlog(ChildApp app) {
        String metrics = app.api().get("/actuator/prometheus").raw(); // metrics need a token (the bare test token)
        return metrics.lines().filter(l -> l.startsWith("clearance_outbox_backlog")).findFirst()
                .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(-1L);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
