package dev.clearance.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.clearance.app.support.AppTestBase;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.port.TimerKind;
import dev.clearance.core.service.LifecycleTimers;
import dev.clearance.core.service.Reconciliation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cancel or revoke while the webhook receiver is still granting, in every order, against a receiver that keeps
 * state as a naive real one would: a grant applies when its call finishes, a revoke applies when it arrives. What the
 * receiver holds at the end is what would be left live.
 */
class InFlightGrantWebhookTest extends AppTestBase {
    private static final Receiver RECEIVER = new Receiver();

    @DynamicPropertySource
    static void webhook(DynamicPropertyRegistry registry) {
        registry.add("clearance.access-provider.type", () -> "webhook");
        registry.add("clearance.access-provider.webhook.url", RECEIVER::url);
        registry.add("clearance.access-provider.webhook.secret", () -> "webhook-secret-for-tests-0123456789");
        registry.add("clearance.access-provider.webhook.timeout", () -> "1s");
        registry.add("clearance.access-provider.webhook.reconcile", () -> "true");
    }

    @AfterAll
    static void stop() {
        RECEIVER.server.stop(0);
    }

    @Autowired
    LifecycleTimers timers;
    @Autowired
    Reconciliation reconciliation;

    private String approved(String resource) {
        String id = intake("alice@example.com", resource, "123456789012");
        justify(id, "alice@example.com", "1h");
        assertThat(decide(id, "pat@example.com", "approve").status()).isEqualTo(200);
        return id;
    }

    /** Runs the due GRANT timer on another thread, as Quartz would, and waits until its call reaches the receiver. */
    private Future<?> grantInFlight(String id, CountDownLatch release) throws Exception {
        RECEIVER.holds.put(id, release);
        Future<?> granting = Executors.newSingleThreadExecutor().submit(() -> dueTimers.fireDue());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!RECEIVER.grantsStarted.contains(id)) {
            assertThat(System.nanoTime()).as("the grant call reached the receiver").isLessThan(deadline);
            Thread.sleep(5);
        }
        return granting;
    }

    private void cancelAndSeeItAccepted(String id) {
        assertThat(api.post("/api/v1/requests/" + id + "/cancel", "{\"actor\":\"alice@example.com\"}").status()).isEqualTo(200);
        JsonNode ending = get(id).body();
        assertThat(ending.get("status").asString()).isEqualTo("APPROVED");
        assertThat(ending.at("/grant/state").asString()).as("accepted at once, shown as ending").isEqualTo("REVOKING");
    }

    /** The REVOKE timer fires (here, or on another instance) while the grant is in flight: the receiver hears nothing. */
    private void revokeTimerFiresMeanwhile(String id) {
        clock.set(clock.instant().plus(Duration.ofMinutes(2)));
        timers.fire(new RequestId(id), TimerKind.REVOKE, clock.instant());
        assertThat(RECEIVER.calls(id)).as("no revoke while the grant is in flight").containsExactly("grant-start");
    }

    @Test
    void aGiveBackWhileTheReceiverIsGrantingIsRevokedAfterTheGrantAndNothingStaysOn() throws Exception {
        String id = approved("ec2:CreateSnapshot");
        CountDownLatch release = new CountDownLatch(1);
        Future<?> granting = grantInFlight(id, release);
        cancelAndSeeItAccepted(id);
        revokeTimerFiresMeanwhile(id);
        release.countDown();
        granting.get(20, TimeUnit.SECONDS);
        settle();

        assertThat(RECEIVER.calls(id)).containsExactly("grant-start", "grant-applied", "revoke");
        assertThat(RECEIVER.held).doesNotContain(id);
        JsonNode ended = get(id).body();
        assertThat(ended.get("status").asString()).isEqualTo("ENDED");
        assertThat(ended.at("/grant/state").asString()).isEqualTo("REVOKED");
        assertThat(ended.get("audit").toString()).contains("ending once the grant attempt in flight has answered")
                .contains("the grant attempt in flight succeeded after the end was asked; revoking now");
    }

    @Test
    void aGrantThatFailsAfterTheGiveBackIsStillRevoked() throws Exception {
        String id = approved("ec2:CopySnapshot");
        RECEIVER.failGrants.add(id); // the receiver applies the grant, then answers 500
        CountDownLatch release = new CountDownLatch(1);
        Future<?> granting = grantInFlight(id, release);
        cancelAndSeeItAccepted(id);
        release.countDown();
        granting.get(20, TimeUnit.SECONDS);
        settle();

        assertThat(RECEIVER.calls(id)).containsExactly("grant-start", "grant-applied", "revoke");
        assertThat(RECEIVER.held).doesNotContain(id);
        assertThat(status(id)).isEqualTo("ENDED");
        assertThat(get(id).body().get("audit").toString()).contains("the grant attempt in flight failed (grant webhook answered HTTP 500");
    }

    /**
     * The receiver answers too late (Clearance's 1 s timeout) and applies the grant after Clearance's revoke has
     * already been applied: nothing Clearance can order prevents that, so reconciliation finds it and removes it.
     */
    @Test
    void aGrantTheReceiverAppliesAfterTheRevokeIsFoundAndRemovedByReconciliation() throws Exception {
        String id = approved("ec2:DeleteSnapshot");
        CountDownLatch release = new CountDownLatch(1);
        Future<?> granting = grantInFlight(id, release);
        cancelAndSeeItAccepted(id);
        granting.get(20, TimeUnit.SECONDS); // the call timed out: the attempt failed, and the revoke went out
        settle();
        assertThat(RECEIVER.calls(id)).containsExactly("grant-start", "revoke");
        release.countDown(); // the receiver's grant finally applies
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!RECEIVER.held.contains(id)) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }

        // (the next round: one at the very instant of the end leaves it to the next, its revoke may not have answered)
        clock.set(clock.instant().plus(Duration.ofMinutes(1)));
        Reconciliation.Report report = reconciliation.reconcileAll();
        settle();

        assertThat(report.removed()).isEqualTo(1);
        assertThat(RECEIVER.held).doesNotContain(id);
        assertThat(get(id).body().get("audit").toString()).contains("reconciliation found access for " + id
                + " at the webhook receiver at provider 'webhook' although the request is ended");
        assertThat(chat.to("root@example.com", id)).extracting(m -> m.kind()).contains(NotificationKind.ADMIN_LEFTOVER_REMOVED);
    }

    @Test
    void aGiveBackBeforeTheGrantIsClaimedNeverCallsTheReceiver() {
        String id = approved("ec2:DescribeSnapshots");
        assertThat(api.post("/api/v1/requests/" + id + "/cancel", "{\"actor\":\"alice@example.com\"}").status()).isEqualTo(200);
        settle();
        assertThat(status(id)).isEqualTo("ENDED");
        assertThat(RECEIVER.calls(id)).isEmpty();
    }

    @Test
    void aGiveBackAfterTheGrantRevokesAtOnce() {
        String id = approved("ec2:ModifySnapshotAttribute");
        settle();
        assertThat(get(id).body().at("/grant/state").asString()).isEqualTo("ACTIVE");
        withdraw(id, "alice@example.com");
        assertThat(RECEIVER.calls(id)).containsExactly("grant-start", "grant-applied", "revoke");
        assertThat(RECEIVER.held).doesNotContain(id);
        assertThat(status(id)).isEqualTo("ENDED");
    }

    /** The receiver: holds what it granted; a grant may be held open until the test releases it. */
    static final class Receiver {
        final HttpServer server;
        final Set<String> held = ConcurrentHashMap.newKeySet();
        final Set<String> grantsStarted = ConcurrentHashMap.newKeySet();
        final Set<String> failGrants = ConcurrentHashMap.newKeySet();
        final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
        private final List<String[]> log = new ArrayList<>();
        private final JsonMapper json = JsonMapper.builder().build();

        Receiver() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", this::handle);
            server.setExecutor(Executors.newFixedThreadPool(16));
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/access";
        }

        synchronized List<String> calls(String id) {
            return log.stream().filter(e -> e[0].equals(id)).map(e -> e[1]).toList();
        }

        private synchronized void note(String id, String what) {
            log.add(new String[]{id, what});
        }

        private void handle(HttpExchange x) throws IOException {
            JsonNode body = json.readTree(x.getRequestBody().readAllBytes());
            String action = body.path("action").asString();
            String id = body.path("requestId").asString();
            int status = 204;
            String answer = null;
            switch (action) {
                case "grant" -> {
                    note(id, "grant-start");
                    grantsStarted.add(id);
                    CountDownLatch hold = holds.remove(id);
                    if (hold != null) {
                        try {
                            hold.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    held.add(id); // applied when the call finishes, as a naive receiver does
                    note(id, "grant-applied");
                    status = failGrants.remove(id) ? 500 : 204;
                }
                case "revoke" -> {
                    held.remove(id);
                    note(id, "revoke");
                }
                case "reconcile" -> {
                    status = 200;
                    answer = json.writeValueAsString(Map.of("held", held.stream().map(h -> Map.of("requestId", h,
                            "description", "access for " + h + " at the webhook receiver")).toList()));
                }
                default -> status = 400;
            }
            byte[] out = answer == null ? new byte[0] : answer.getBytes(StandardCharsets.UTF_8);
            if (answer != null) {
                x.getResponseHeaders().add("Content-Type", "application/json");
            }
            x.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                x.getResponseBody().write(out);
            }
            x.close();
        }
    }
}
