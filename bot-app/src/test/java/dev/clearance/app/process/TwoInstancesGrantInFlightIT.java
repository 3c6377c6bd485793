package dev.clearance.app.process;

import dev.clearance.app.support.ApiClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.clearance.app.process.InFlightGrantCrashIT.approve;
import static dev.clearance.app.process.InFlightGrantCrashIT.assertEnding;
import static dev.clearance.app.process.InFlightGrantCrashIT.audit;
import static dev.clearance.app.process.InFlightGrantCrashIT.awaitAll;
import static dev.clearance.app.process.InFlightGrantCrashIT.cancel;
import static dev.clearance.app.process.InFlightGrantCrashIT.intake;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A revocation never overtakes its grant across instances (issue 20): two packaged instances on one PostgreSQL
 * database, each calling the slow webhook receiver at its own URL so the receiver knows which one sent a call. A grant
 * call is held open on one instance while the cancel goes to the other: the other acknowledges at once and the revoke
 * reaches the receiver only after the grant finished. Then the instance with the grant call open is killed with
 * SIGKILL; the receiver applies the dead caller's grant; the survivor (Quartz cluster recovery) revokes it.
 */
class TwoInstancesGrantInFlightIT {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TwoInstancesGrantInFlightIT.class);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aCancelOnTheOtherInstanceWaitsForTheGrantAndTheSurvivorRevokesWhatTheDeadOneGranted() throws Exception {
        Path dir = Path.of("target", "two-instances-in-flight", UUID.randomUUID().toString());
        TestTarget db = DurabilityCrashIT.target("postgresql", dir);
        Path config = Path.of("../config/clearance.example.yml").toAbsolutePath();
        Map<String, String> env = Map.of("CLEARANCE_WEBHOOK_SECRET", WebhookReceiver.SECRET);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            ExecutorService starter = Executors.newFixedThreadPool(2);
            CompletableFuture<ChildApp> a = CompletableFuture.supplyAsync(() -> ChildApp.start("instance-a", db, dir, env,
                    args(config, receiver.url("a"))), starter);
            CompletableFuture<ChildApp> b = CompletableFuture.supplyAsync(() -> ChildApp.start("instance-b", db, dir, env,
                    args(config, receiver.url("b"))), starter);
            starter.shutdown();
            try (ChildApp first = a.get(); ChildApp second = b.get()) {
                Map<String, ChildApp> instances = Map.of("a", first, "b", second);

                // the grant call held open on one instance, the cancel sent to the other
                String id = intake(first.api(), "two-instances-1");
                WebhookReceiver.Gate grant = receiver.holdGrant(id);
                approve(second.api(), id);
                String granter = awaitGrantCall(receiver, id);
                ChildApp other = instances.get(granter.equals("a") ? "b" : "a");
                assertEnding(cancel(other.api(), id), id);
                // a bounded look at the receiver while the grant call stays open: no revoke may arrive meanwhile
                // (the end waits for the grant's outcome; only a re-check a minute later would look again)
                ChildApp.pause(3000);
                assertThat(receiver.arrived("revoke", id)).as("a revoke reached the receiver while its grant was open").isFalse();
                grant.open();
                awaitAll(other.api(), List.of(id), r -> "ENDED".equals(r.text("status")), "ended once the grant answered");
                assertThat(receiver.holds(id)).as("the receiver still holds " + id).isFalse();
                Instant grantApplied = applied(receiver, "grant", id);
                Instant revokeArrived = receiver.calls().stream().filter(c -> c.action().equals("revoke") && id.equals(c.requestId()))
                        .map(WebhookReceiver.Call::at).min(Instant::compareTo).orElseThrow();
                assertThat(revokeArrived).as("the revoke came after the grant was applied").isAfter(grantApplied);
                assertThat(audit(other.api(), id)).anyMatch(r -> r.startsWith("the grant attempt in flight succeeded")
                        && r.endsWith("after the end was asked; revoking now"));

                // the instance with the grant call open is killed; the receiver applies the grant it asked for
                String id2 = intake(other.api(), "two-instances-2");
                WebhookReceiver.Gate grant2 = receiver.holdGrant(id2);
                approve(other.api(), id2);
                String granter2 = awaitGrantCall(receiver, id2);
                ChildApp dying = instances.get(granter2);
                ChildApp survivor = instances.get(granter2.equals("a") ? "b" : "a");
                assertEnding(cancel(survivor.api(), id2), id2);
                dying.kill();
                Instant killedAt = Instant.now();
                grant2.open();
                WebhookReceiver.await(() -> receiver.holds(id2), WAIT, "the dead caller's grant applied");
                awaitAll(survivor.api(), List.of(id2), r -> "ENDED".equals(r.text("status")), "revoked by the survivor");
                Instant ended = InFlightGrantCrashIT.endedAt(survivor.api(), id2);
                assertThat(receiver.holds(id2)).as("the receiver still holds " + id2).isFalse();
                String survivorName = granter2.equals("a") ? "b" : "a";
                assertThat(receiver.calls().stream().filter(c -> c.action().equals("revoke") && id2.equals(c.requestId()))
                        .map(WebhookReceiver.Call::sender)).as("who revoked " + id2).containsOnly(survivorName);
                assertThat(audit(survivor.api(), id2)).anyMatch(r -> r.startsWith(
                        "the grant attempt in flight never answered; revoking in case it reached provider 'webhook'"));
                assertThat(receiver.overtaken()).as("revokes that overtook their grant").isEmpty();
                assertThat(survivor.isAlive()).isTrue();
                LOG.info(String.format("across instances: the revoke arrived %d ms after the grant was applied; after the kill "
                        + "of the instance with the grant call open, the survivor revoked it %d ms after the kill",
                        Duration.between(grantApplied, revokeArrived).toMillis(), Duration.between(killedAt, ended).toMillis()));
            }
        }
    }

    private static String[] args(Path config, String url) {
        return new String[]{"--clearance.config=" + config, "--clearance.access-provider.type=webhook",
                "--clearance.access-provider.webhook.url=" + url, "--clearance.access-provider.webhook.timeout=120s"};
    }

    /** Which instance sent the grant call for {@code id}, once it arrived. */
    private static String awaitGrantCall(WebhookReceiver receiver, String id) {
        WebhookReceiver.await(() -> receiver.arrived("grant", id), WAIT, "the grant call for " + id);
        return receiver.calls().stream().filter(c -> c.action().equals("grant") && id.equals(c.requestId()))
                .findFirst().orElseThrow().sender();
    }

    private static Instant applied(WebhookReceiver receiver, String action, String id) {
        return receiver.applied().stream().filter(x -> x.action().equals(action) && x.requestId().equals(id))
                .map(WebhookReceiver.Applied::at).findFirst().orElseThrow(() -> new AssertionError(action + " " + id + " not applied"));
    }
}
