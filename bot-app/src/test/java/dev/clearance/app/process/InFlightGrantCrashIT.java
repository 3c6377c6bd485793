package dev.clearance.app.process;

import dev.clearance.app.support.ApiClient;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A revocation never overtakes its grant, across kill -9 (issue 20): the packaged application is killed with SIGKILL
 * while grant calls are held open at a slow webhook receiver (some cancelled or revoked meanwhile, some not), while
 * approvals wait for a free timer thread (not yet claimed), and while revoke calls are on their way. The receiver then
 * finishes or loses the dead caller's calls, as a real one would; after the restart it holds nothing for any request
 * that was ended, and each such request shows ENDED. A grant the receiver applies only after Clearance's revoke (the
 * receiver answered too late) is found and removed by the periodic reconciliation, and the admins are told.
 * On H2 and on PostgreSQL.
 */
class InFlightGrantCrashIT {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InFlightGrantCrashIT.class);
    static final String ACCOUNT = "123456789012"; // org/prod in the example config: pat approves alone
    static final String ADMIN = "root@example.com";
    /** Quartz's thread pool (application.yml): held calls occupy this many timer threads. */
    private static final int TIMER_THREADS = 8;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void killMinus9AtEachPointOfAGrantInFlightLeavesNothingHeld(String database) throws Exception {
        Path dir = Path.of("target", "in-flight-grant", database + "-" + UUID.randomUUID());
        TestTarget db = DurabilityCrashIT.target(database, dir);
        Path config = Path.of("../config/clearance.example.yml").toAbsolutePath();
        Map<String, String> env = Map.of("CLEARANCE_WEBHOOK_SECRET", WebhookReceiver.SECRET,
                "CLEARANCE_WEBHOOK_RECONCILE", "true", "CLEARANCE_RECONCILE_INTERVAL", "10s");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            // round 1: the webhook timeout is long, so that a held call is in flight until the kill, not given up on
            String[] args = {"--clearance.config=" + config, "--clearance.access-provider.type=webhook",
                    "--clearance.access-provider.webhook.url=" + receiver.url(), "--clearance.outbox.poll-interval=200ms",
                    "--clearance.access-provider.webhook.timeout=120s"};
            ChildApp first = ChildApp.start(database + "-1", db, dir, env, args);
            try { // a failed check in round 1 must not leave the first process running
                ApiClient api = first.api();

                // after the grant answered, before the revoke reached the receiver: C1's revoke is lost on the way, C2's
                // is applied but its answer never reaches the dead caller
                Map<String, WebhookReceiver.Gate> revokes = new LinkedHashMap<>();
                List<String> revokeInFlight = new ArrayList<>();
                for (String name : List.of("c1", "c2")) {
                    String id = intake(api, name);
                    WebhookReceiver.Gate grant = receiver.holdGrant(id);
                    approve(api, id);
                    WebhookReceiver.await(() -> receiver.arrived("grant", id), WAIT, "the grant call for " + id);
                    assertEnding(cancel(api, id), id);
                    revokes.put(id, receiver.holdRevoke(id));
                    grant.open();
                    WebhookReceiver.await(() -> receiver.arrived("revoke", id), WAIT, "the revoke call for " + id);
                    revokeInFlight.add(id);
                }

                // during the grant call: held open at the receiver until after the kill; cancelled by the requester,
                // revoked by an admin, or left alone; one timer thread each
                List<String> grantInFlight = new ArrayList<>();
                Map<String, WebhookReceiver.Gate> grants = new LinkedHashMap<>();
                for (int i = 1; i <= TIMER_THREADS - revokeInFlight.size(); i++) {
                    String id = intake(api, "a" + i);
                    grants.put(id, receiver.holdGrant(id));
                    approve(api, id);
                    WebhookReceiver.await(() -> receiver.arrived("grant", id), WAIT, "the grant call for " + id);
                    grantInFlight.add(id);
                }
                List<String> endedInFlight = new ArrayList<>();
                for (int i = 0; i < grantInFlight.size(); i++) {
                    String id = grantInFlight.get(i);
                    switch (i % 3) {
                        case 0 -> assertEnding(cancel(api, id), id);
                        case 1 -> assertEnding(revoke(api, id), id);
                        default -> {
                            continue; // left alone: granted after the restart
                        }
                    }
                    endedInFlight.add(id);
                }

                // before the grant is claimed: every timer thread is busy, so these approvals' GRANT timers wait unclaimed
                String cancelledUnclaimed = intake(api, "b1");
                String approvedUnclaimed = intake(api, "b2");
                approve(api, cancelledUnclaimed);
                approve(api, approvedUnclaimed);
                ApiClient.Response b1 = cancel(api, cancelledUnclaimed);
                assertThat(b1.status()).as(b1.raw()).isEqualTo(200);
                assertThat(b1.text("status")).as("cancelled before its grant was claimed (all %d timer threads held): %s",
                        TIMER_THREADS, b1.raw()).isEqualTo("ENDED");

                first.kill();
                Instant killedAt = Instant.now();
                assertStoredAtTheKill(db, endedInFlight, cancelledUnclaimed, approvedUnclaimed);

                // the receiver finishes the dead caller's calls: most grants are applied, two are lost; C1's revoke is lost,
                // C2's is applied
                List<String> lost = List.of(grantInFlight.get(3), grantInFlight.get(5)); // one cancelled, one left alone
                grants.forEach((id, gate) -> {
                    if (lost.contains(id)) {
                        gate.drop();
                    } else {
                        gate.open();
                    }
                });
                revokes.get(revokeInFlight.get(0)).drop();
                revokes.get(revokeInFlight.get(1)).open();
                WebhookReceiver.await(() -> grantInFlight.stream().filter(id -> !lost.contains(id)).allMatch(receiver::holds)
                        && !receiver.holds(revokeInFlight.get(1)), WAIT, "the receiver applied the dead caller's calls");
                assertThat(receiver.holds(revokeInFlight.get(0))).as("C1's revoke was lost: its grant is still held").isTrue();
                assertThat(receiver.arrived("grant", cancelledUnclaimed)).as("a grant never claimed is never sent").isFalse();

                // round 2: the receiver answers late enough for Clearance to give up on a grant call (5 s)
                args[args.length - 1] = "--clearance.access-provider.webhook.timeout=5s";
                try (ChildApp second = ChildApp.start(database + "-2", db, dir, env, args)) {
                    Instant healthy = Instant.now();
                    ApiClient api2 = second.api();
                    // first, so that the next periodic reconciliation (1 min after the start) finds what it left behind
                    String tooLate = grantAppliedAfterItsRevoke(api2, receiver);
                    Instant leftOver = Instant.now();

                    List<String> ended = new ArrayList<>(endedInFlight);
                    ended.addAll(revokeInFlight);
                    ended.add(cancelledUnclaimed);
                    awaitAll(api2, ended, r -> "ENDED".equals(r.text("status")), "ended after the restart");
                    Duration recovered = Duration.between(healthy, ended.stream().map(id -> endedAt(api2, id))
                            .max(Instant::compareTo).orElseThrow());
                    List<String> leftAlone = new ArrayList<>(grantInFlight.stream()
                            .filter(id -> !endedInFlight.contains(id)).toList());
                    leftAlone.add(approvedUnclaimed);
                    awaitAll(api2, leftAlone, r -> "ACTIVE".equals(r.body().at("/grant/state").asString()),
                            "granted after the restart");
                    for (String id : leftAlone) {
                        assertThat(receiver.holds(id)).as("granted after the restart: " + id).isTrue();
                        ApiClient.Response r = cancel(api2, id);
                        assertThat(r.status()).as(r.raw()).isEqualTo(200);
                    }
                    awaitAll(api2, leftAlone, r -> "ENDED".equals(r.text("status")), "ended by the cancel after the restart");

                    // what the recovered GRANT timers said: a lost attempt is revoked whether it reached the receiver or not
                    for (String id : endedInFlight) {
                        assertThat(audit(api2, id)).as("audit trail of " + id).anyMatch(a -> a.startsWith(
                                "the grant attempt in flight never answered; revoking in case it reached provider 'webhook'"));
                    }
                    assertThat(audit(api2, cancelledUnclaimed)).anyMatch(a -> a.endsWith("ended before access was granted"));

                    // the too-late grant: the periodic reconciliation finds it, removes it, and tells the admins
                    WebhookReceiver.await(() -> !receiver.holds(tooLate), WAIT, "reconciliation removed " + tooLate);
                    Duration found = Duration.between(leftOver, Instant.now());
                    // the finding is recorded once the provider has answered the removal: wait for it, not just for the
                    // receiver to let go (a look in between found the trail without it)
                    WebhookReceiver.await(() -> audit(api2, tooLate).stream().anyMatch(InFlightGrantCrashIT::removedByReconciliation),
                            WAIT, "the removal of " + tooLate + " on its audit trail");
                    assertThat(audit(api2, tooLate)).as("audit trail of " + tooLate)
                            .anyMatch(InFlightGrantCrashIT::removedByReconciliation);
                    WebhookReceiver.await(() -> second.logText().lines().anyMatch(l -> l.contains("to " + ADMIN
                            + " [ADMIN_LEFTOVER_REMOVED") && l.contains(tooLate)), WAIT, "the admins are told of " + tooLate);
                    // Not asserted to be the only alert: the startup round can race the recovered revokes and report one of
                    // them as a leftover (the known bug ReconciliationRaceIT shows); logged, so that a run shows it.
                    List<String> alerted = second.logText().lines().filter(l -> l.contains("[ADMIN_LEFTOVER_REMOVED")).toList();

                    List<String> all = Stream.of(ended, leftAlone, List.of(tooLate)).flatMap(List::stream).toList();
                    assertThat(all.stream().filter(receiver::holds)).as("the receiver holds nothing for an ended request")
                            .isEmpty();
                    assertThat(receiver.overtaken()).as("revokes that overtook their grant (only the one Clearance gave up on "
                            + "by its timeout may)").containsOnly(tooLate);
                    LOG.info(String.format("%s: %d requests ended while a grant or revoke was in flight at the kill, all "
                            + "ENDED %d ms after the restart was healthy (%d ms after the kill); the too-late grant removed by "
                            + "reconciliation %d ms after it was applied; %d leftover alert(s): %s", database, ended.size(),
                            recovered.toMillis(),
                            Duration.between(killedAt, healthy).toMillis() + recovered.toMillis(), found.toMillis(),
                            alerted.size(), alerted));
                }
            } finally {
                first.kill();
            }
        }
    }

    /**
     * A grant call held at the receiver; the requester cancels; Clearance gives up on the call at its timeout and,
     * since a failed call may still have granted, revokes at once; the receiver applies the grant 1.5 s after that
     * revoke (nothing to remove then), so it holds access for an ENDED request. Answers that request's id.
     */
    private static boolean removedByReconciliation(String audit) {
        return audit.startsWith("reconciliation found ") && audit.contains("although the request is ended")
                && audit.endsWith("; removed");
    }

    private static String grantAppliedAfterItsRevoke(ApiClient api, WebhookReceiver receiver) {
        String id = intake(api, "late");
        WebhookReceiver.Gate grant = receiver.holdGrant(id);
        approve(api, id);
        WebhookReceiver.await(() -> receiver.arrived("grant", id), WAIT, "the grant call for " + id);
        ApiClient.Response r = cancel(api, id);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        WebhookReceiver.await(() -> receiver.arrived("revoke", id), WAIT, "the revoke after the timeout, for " + id);
        receiver.grantDelay(Duration.ofMillis(1500));
        grant.open();
        WebhookReceiver.await(() -> receiver.holds(id), WAIT, "the too-late grant applied for " + id);
        receiver.grantDelay(Duration.ZERO);
        awaitAll(api, List.of(id), x -> "ENDED".equals(x.text("status")), "ended after the timed-out grant");
        return id;
    }

    /** Looks straight into the dead process's database: the states each case was in at the kill. */
    private static void assertStoredAtTheKill(TestTarget db, List<String> endedInFlight, String cancelledUnclaimed,
                                              String approvedUnclaimed) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT status, grant_state, grant_attempt_since FROM access_request WHERE id = ?")) {
            for (String id : endedInFlight) {
                assertThat(row(s, id)).as("ended during its grant call: " + id).startsWith("APPROVED/REVOKING/in flight");
            }
            assertThat(row(s, cancelledUnclaimed)).isEqualTo("ENDED/NONE/-");
            assertThat(row(s, approvedUnclaimed)).as("approved, its GRANT timer not yet claimed")
                    .isEqualTo("APPROVED/GRANTING/-");
        }
    }

    private static String row(PreparedStatement s, String id) throws SQLException {
        s.setString(1, id);
        try (ResultSet rs = s.executeQuery()) {
            assertThat(rs.next()).as(id + " stored").isTrue();
            return rs.getString(1) + "/" + rs.getString(2) + "/" + (rs.getObject(3) == null ? "-" : "in flight");
        }
    }

    // ------------------------------------------------------------------ REST, as an integrator calls it

    static String intake(ApiClient api, String who) {
        ApiClient.Response r = api.post("/api/v1/requests", "{\"requester\":\"" + who + "@example.com\",\"resource\":"
                + "\"ec2:StopInstances\",\"account\":\"" + ACCOUNT + "\",\"justification\":\"in-flight grant test\","
                + "\"duration\":\"1h\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("id");
    }

    static void approve(ApiClient api, String id) {
        ApiClient.Response r = api.post("/api/v1/requests/" + id + "/decisions",
                "{\"approver\":\"pat@example.com\",\"decision\":\"approve\",\"reason\":\"ok\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.text("status")).as(r.raw()).isEqualTo("APPROVED");
    }

    static ApiClient.Response cancel(ApiClient api, String id) {
        String requester = api.get("/api/v1/requests/" + id).text("requester");
        return api.post("/api/v1/requests/" + id + "/cancel", "{\"actor\":\"" + requester + "\"}");
    }

    static ApiClient.Response revoke(ApiClient api, String id) {
        return api.post("/api/v1/requests/" + id + "/revoke", "{\"actor\":\"" + ADMIN + "\",\"reason\":\"incident over\"}");
    }

    /** An end asked for while the grant call is in flight: acknowledged, recorded at once, the revoke held back. */
    static void assertEnding(ApiClient.Response r, String id) {
        assertThat(r.status()).as(id + ": " + r.raw()).isEqualTo(200);
        assertThat(r.text("status")).as(id + ": " + r.raw()).isEqualTo("APPROVED");
        assertThat(r.body().at("/grant/state").asString()).as(id + ": " + r.raw()).isEqualTo("REVOKING");
    }

    static List<String> audit(ApiClient api, String id) {
        List<String> reasons = new ArrayList<>();
        api.get("/api/v1/requests/" + id).body().get("audit").forEach(a -> reasons.add(a.get("reason").asString()));
        return reasons;
    }

    /** When the request ended, by its audit trail. */
    static Instant endedAt(ApiClient api, String id) {
        for (var a : api.get("/api/v1/requests/" + id).body().get("audit")) {
            boolean fromEnded = a.get("from") != null && !a.get("from").isNull() && "ENDED".equals(a.get("from").asString());
            if ("ENDED".equals(a.get("to").asString()) && !fromEnded) {
                return Instant.parse(a.get("at").asString());
            }
        }
        throw new AssertionError(id + " has not ended");
    }

    /** A bounded wait for the application's timers (wall clock); fails with the requests still waiting. */
    static void awaitAll(ApiClient api, List<String> ids, java.util.function.Predicate<ApiClient.Response> done, String what) {
        Instant deadline = Instant.now().plus(WAIT);
        List<String> waiting = new ArrayList<>(ids);
        while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
            waiting.removeIf(id -> done.test(api.get("/api/v1/requests/" + id)));
            if (!waiting.isEmpty()) {
                ChildApp.pause(200);
            }
        }
        assertThat(waiting).as("not " + what + " in time: " + waiting.stream().limit(3)
                .map(id -> api.get("/api/v1/requests/" + id).raw()).toList()).isEmpty();
    }
}
