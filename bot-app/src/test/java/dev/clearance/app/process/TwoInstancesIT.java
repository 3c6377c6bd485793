package dev.clearance.app.process;

import dev.clearance.app.slack.FakeSlack;
import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the packaged application on one PostgreSQL database, Slack played by WireMock, intervals of
 * seconds: hundreds of expiries, escalations, grants and revocations fall due while one instance is killed with
 * SIGKILL. The survivor takes over the dead one's timers (Quartz cluster recovery) and its claimed outbox rows, every
 * timer's effect happens once, and every message is posted once.
 */
class TwoInstancesIT {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TwoInstancesIT.class);
    private static final int PER_GROUP = 60;
    private static final String ACCOUNT = "123456789012";
    private static FakeSlack slack;
    private static WebhookReceiver provider;

    @BeforeAll
    static void platforms() {
        slack = new FakeSlack();
        slack.stubAnyone();
        provider = new WebhookReceiver();
    }

    @AfterAll
    static void stopPlatforms() {
        slack.stop();
        provider.close();
    }

    @Test
    void theSurvivorTakesOverTimersAndMessagesAndEachHappensOnce() throws Exception {
        Path dir = Path.of("target", "two-instances", UUID.randomUUID().toString());
        TestTarget db = DurabilityCrashIT.target("postgresql", dir);
        Path config = Path.of("src/test/resources/process/short-intervals.yml").toAbsolutePath();
        Map<String, String> env = Map.of("SLACK_BOT_TOKEN", "xoxb-two-instances", "SLACK_SIGNING_SECRET",
                "two-instances-signing-secret", "SLACK_API_URL", slack.apiUrl(),
                "CLEARANCE_WEBHOOK_SECRET", WebhookReceiver.SECRET);
        String[] args = {"--clearance.config=" + config, "--clearance.access-provider.type=webhook",
                "--clearance.access-provider.webhook.url=" + provider.url()};
        ExecutorService starter = Executors.newFixedThreadPool(2);
        CompletableFuture<ChildApp> a = CompletableFuture.supplyAsync(() -> ChildApp.start("instance-a", db, dir, env, args), starter);
        CompletableFuture<ChildApp> b = CompletableFuture.supplyAsync(() -> ChildApp.start("instance-b", db, dir, env, args), starter);
        starter.shutdown();
        try (ChildApp first = a.get(); ChildApp second = b.get()) {
            ApiClient[] apis = {first.api(), second.api()};
            // REQUESTED, left to expire; PENDING, escalated twice then expired; approved, granted, then revoked
            List<String> abandon = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> expire = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> revoke = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = Executors.newFixedThreadPool(2);
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int half = t;
                sent.add(CompletableFuture.runAsync(() -> {
                    ApiClient mine = apis[half];
                    ApiClient other = apis[1 - half];
                    for (int i = half; i < PER_GROUP; i += 2) {
                        String id = intake(mine, "granted-" + i, "approved then revoked");
                        ApiClient.Response r = other.post("/api/v1/requests/" + id + "/decisions",
                                "{\"approver\":\"pat@example.com\",\"decision\":\"approve\",\"reason\":\"ok\"}");
                        assertThat(r.status()).as(r.raw()).isEqualTo(200);
                        revoke.add(id);
                    }
                    for (int i = half; i < PER_GROUP; i += 2) {
                        abandon.add(intake(mine, "quiet-" + i, null));
                        expire.add(intake(other, "waiting-" + i, "needs a decision"));
                    }
                }, clients));
            }
            sent.forEach(CompletableFuture::join);
            clients.shutdown();
            awaitAll(apis[1], revoke, r -> "ACTIVE".equals(r.body().at("/grant/state").asString()), Duration.ofSeconds(60),
                    "granted");
            for (int i = 0; i < PER_GROUP; i++) {
                assertThat(apis[i % 2].post("/api/v1/requests/" + revoke.get(i) + "/revoke",
                        "{\"actor\":\"root@example.com\",\"reason\":\"incident over\"}").status()).isEqualTo(200);
            }

            // mid-burst: escalations and revocations are due now or within seconds
            first.kill();
            Instant killedAt = Instant.now();
            List<Long> orphaned = claimedOutboxRows(db);

            ApiClient survivor = apis[1];
            awaitAll(survivor, abandon, r -> "ABANDONED_EXPIRED".equals(r.text("status")), Duration.ofSeconds(90), "abandoned");
            awaitAll(survivor, expire, r -> "EXPIRED".equals(r.text("status")), Duration.ofSeconds(90), "expired");
            awaitAll(survivor, revoke, r -> "ENDED".equals(r.text("status")), Duration.ofSeconds(90), "revoked");
            Duration quartzTakeover = awaitSql(db, "SELECT COUNT(*) FROM qrtz_scheduler_state", 1, killedAt);
            Duration outboxTakeover = awaitSql(db, "SELECT COUNT(*) FROM outbox_message WHERE state = 'PENDING'", 0, killedAt);
            LOG.info(String.format("takeover after kill -9: Quartz cluster recovery %d ms, outbox drained %d ms, %d outbox rows "
                    + "were claimed at the kill", quartzTakeover.toMillis(), outboxTakeover.toMillis(), orphaned.size()));
            assertThat(quartzTakeover).as("Quartz recovered the dead instance").isLessThan(Duration.ofSeconds(30));
            assertThat(outboxTakeover).as("the dead instance's claimed messages were delivered").isLessThan(Duration.ofSeconds(30));

            try (Connection c = db.connect()) {
                for (String id : abandon) {
                    assertThat(transitions(c, id, "ABANDONED_EXPIRED")).as(id + " expired once").isEqualTo(1);
                }
                int escalations = 0;
                for (String id : expire) {
                    assertThat(transitions(c, id, "EXPIRED")).as(id + " expired once").isEqualTo(1);
                    int level1 = audits(c, id, "escalated to level 1 %");
                    int level2 = audits(c, id, "escalated to level 2 %");
                    // At most once: an escalation that fell due while its instance was dead and was taken over only after
                    // the pending window closed (takeover takes 10-15 s, the window is 12 s) rightly does nothing.
                    assertThat(level1).as(id + " escalated to level 1 at most once").isLessThanOrEqualTo(1);
                    assertThat(level2).as(id + " escalated to level 2 at most once").isLessThanOrEqualTo(1);
                    escalations += level1 + level2;
                }
                assertThat(escalations).as("escalations ran at all").isGreaterThanOrEqualTo(PER_GROUP / 2);
                for (String id : revoke) {
                    assertThat(audits(c, id, "access granted by provider %")).as(id + " granted once").isEqualTo(1);
                    assertThat(transitions(c, id, "ENDED")).as(id + " revoked once").isEqualTo(1);
                    assertThat(provider.calls().stream().filter(x -> x.requestId().equals(id) && x.action().equals("revoke")))
                            .as(id + " was revoked at the provider").isNotEmpty();
                }
                LOG.info(String.format("timers fired: %d expiries, %d escalations, %d grants, %d revocations",
                        2 * PER_GROUP, escalations, PER_GROUP, PER_GROUP));

                // NB: every Slack post is recorded once in sent_message; a post with no record, or two posts of one
                // message, would show up as more platform calls than records.
                List<Map<String, String>> posts = slack.calls("chat.postMessage");
                int recorded = count(c, "SELECT COUNT(*) FROM sent_message WHERE channel = 'slack'");
                Map<String, Long> byContent = posts.stream().collect(Collectors.groupingBy(
                        p -> p.get("channel") + "|" + p.get("text"), Collectors.counting()));
                List<String> twice = byContent.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
                LOG.info(String.format("slack: %d posts, %d recorded, %d posted twice", posts.size(), recorded, twice.size()));
                assertThat(twice).as("messages posted more than once").isEmpty();
                assertThat(posts).hasSize(recorded);
            }
            assertThat(second.isAlive()).isTrue();
        }
    }

    private static String intake(ApiClient api, String who, String justification) {
        ApiClient.Response r = api.post("/api/v1/requests", "{\"requester\":\"" + who + "@example.com\",\"resource\":"
                + "\"ec2:StopInstances\",\"account\":\"" + ACCOUNT + "\""
                + (justification == null ? "" : ",\"justification\":\"" + justification + "\",\"duration\":\"1h\"") + "}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("id");
    }

    /** A bounded wait for the other processes' timers (intervals of seconds); fails with what is still missing. */
    private static void awaitAll(ApiClient api, List<String> ids, java.util.function.Predicate<ApiClient.Response> done,
                                 Duration limit, String what) {
        Instant deadline = Instant.now().plus(limit);
        List<String> waiting = new ArrayList<>(ids);
        while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
            waiting.removeIf(id -> done.test(api.get("/api/v1/requests/" + id)));
            if (!waiting.isEmpty()) {
                ChildApp.pause(250);
            }
        }
        Map<String, String> states = new HashMap<>();
        waiting.stream().limit(5).forEach(id -> states.put(id, api.get("/api/v1/requests/" + id).raw()));
        assertThat(waiting).as("not " + what + " in time: " + states).isEmpty();
    }

    private static Duration awaitSql(TestTarget db, String sql, int expected, Instant since) throws SQLException {
        Instant deadline = Instant.now().plusSeconds(60);
        try (Connection c = db.connect()) {
            while (count(c, sql) != expected && Instant.now().isBefore(deadline)) {
                ChildApp.pause(100);
            }
            assertThat(count(c, sql)).as(sql).isEqualTo(expected);
        }
        return Duration.between(since, Instant.now());
    }

    private static List<Long> claimedOutboxRows(TestTarget db) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT id FROM outbox_message WHERE state = 'PENDING' AND claimed_until IS NOT NULL");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static int transitions(Connection c, String id, String to) throws SQLException {
        return count(c, "SELECT COUNT(*) FROM audit_event WHERE request_id = '" + id + "' AND to_status = '" + to
                + "' AND (from_status IS NULL OR from_status <> to_status)");
    }

    private static int audits(Connection c, String id, String like) throws SQLException {
        return count(c, "SELECT COUNT(*) FROM audit_event WHERE request_id = '" + id + "' AND reason LIKE '" + like + "'");
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
