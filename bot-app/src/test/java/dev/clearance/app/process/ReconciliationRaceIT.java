package dev.clearance.app.process;

import dev.clearance.app.support.ApiClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clearance.app.process.InFlightGrantCrashIT.approve;
import static dev.clearance.app.process.InFlightGrantCrashIT.audit;
import static dev.clearance.app.process.InFlightGrantCrashIT.awaitAll;
import static dev.clearance.app.process.InFlightGrantCrashIT.cancel;
import static dev.clearance.app.process.InFlightGrantCrashIT.intake;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reconciliation round whose answer is out of date by the time it arrives (issue 20, "receivers that take seconds
 * to answer, in every order"): the receiver lists what it holds, then takes a while to answer; meanwhile a request is
 * cancelled and revoked the ordinary way. That request was never left over, so the admins must not be told that
 * reconciliation found and removed leftover access for it.
 * <p>
 * KNOWN BUG (found by this test, 2026-12-02; main code not changed here): {@code Reconciliation.reconcileAll} asks the
 * provider what it holds, then reads each request as stored by then, so a request revoked by its own timer between the
 * two looks like a leftover: its audit trail says "reconciliation found ... although the request is ended; removed", a
 * second revoke is sent, and the scope's admins get an ADMIN_LEFTOVER_REMOVED alert. InFlightGrantCrashIT met it
 * unprompted in 2 of 4 runs, on H2 and on PostgreSQL (its startup round racing the revokes of the recovered GRANT
 * timers: one or two false alerts). Fails every time it runs; disabled so that the suite stays green until the fix,
 * which should enable it.
 */
class ReconciliationRaceIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aRequestRevokedWhileTheReconcileAnswerIsOnItsWayRaisesNoLeftoverAlarm() throws Exception {
        Path dir = Path.of("target", "reconcile-race", UUID.randomUUID().toString());
        TestTarget db = TestTarget.h2(dir);
        Map<String, String> env = Map.of("CLEARANCE_WEBHOOK_SECRET", WebhookReceiver.SECRET,
                "CLEARANCE_WEBHOOK_RECONCILE", "true", "CLEARANCE_RECONCILE_INTERVAL", "1m");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            // the startup round's call waits at the receiver before it lists, then again before it answers
            WebhookReceiver.Gate[] reconcile = receiver.holdReconcile();
            String[] args = {"--clearance.config=" + Path.of("../config/clearance.example.yml").toAbsolutePath(),
                    "--clearance.access-provider.type=webhook", "--clearance.access-provider.webhook.url=" + receiver.url(),
                    "--clearance.outbox.poll-interval=200ms"};
            try (ChildApp app = ChildApp.start("reconcile-race", db, dir, env, args)) {
                ApiClient api = app.api();
                WebhookReceiver.await(reconcile[0]::hasWaiting, WAIT, "the startup reconciliation's call");
                String id = intake(api, "race");
                approve(api, id);
                awaitAll(api, List.of(id), r -> "ACTIVE".equals(r.body().at("/grant/state").asString()), "granted");
                reconcile[0].open();
                WebhookReceiver.await(reconcile[1]::hasWaiting, WAIT, "the receiver listed what it holds, " + id + " among it");
                ApiClient.Response r = cancel(api, id);
                assertThat(r.status()).as(r.raw()).isEqualTo(200);
                awaitAll(api, List.of(id), x -> "ENDED".equals(x.text("status")), "revoked by its own timer");
                assertThat(receiver.holds(id)).isFalse();
                reconcile[1].open(); // the listing, out of date now, still names it
                WebhookReceiver.await(() -> app.logText().contains("reconciliation with the access provider"), WAIT,
                        "the reconciliation round finished");
                String alerts = String.join("\n", app.logText().lines().filter(l -> l.contains("[ADMIN_LEFTOVER_REMOVED")).toList());
                assertThat(audit(api, id)).as("audit trail of " + id).noneMatch(a -> a.startsWith("reconciliation found"));
                assertThat(alerts).as("leftover alerts for a request revoked the ordinary way").doesNotContain(id);
            }
        }
    }
}
