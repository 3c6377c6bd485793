package dev.clearance.app.teams;

import dev.clearance.app.support.TimedAppTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Teams adapter against Microsoft's own local Teams client, Microsoft 365 Agents Playground (npm
 * {@code @microsoft/m365agentsplayground} 0.2.28): it sends the real install, message and {@code adaptiveCard/action}
 * activities and plays the Bot Connector our bot calls back (member lookup, proactive send, reply, update). The test
 * drives it through the same HTTP endpoints its web UI calls. CI sets {@code CLEARANCE_REQUIRE_PLAYGROUND=true}, so a
 * missing Node.js fails there instead of skipping.
 */
@TestPropertySource(properties = {"clearance.teams.allow-unauthenticated=true",
        "clearance.config=../config/clearance.playground.yml"})
class PlaygroundEndToEndTest extends TimedAppTest {
    private static final String PLAYGROUND = "http://localhost:56150";
    private static final String ALEX_AAD = "00000000-0000-0000-0000-0000000000020";
    private static Process playground;
    // HTTP/1.1: the playground's server answers nothing to the h2c upgrade Java offers by default
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    @Autowired
    JdbcClient jdbc;

    @AfterAll
    static void stopPlayground() {
        if (playground != null) {
            playground.descendants().forEach(ProcessHandle::destroy);
            playground.destroy();
        }
    }

    private void startPlayground() throws Exception {
        if (playground != null && playground.isAlive()) {
            return;
        }
        boolean required = "true".equals(System.getenv("CLEARANCE_REQUIRE_PLAYGROUND"));
        boolean hasNpx = new ProcessBuilder("bash", "-c", "command -v npx").start().waitFor() == 0;
        assertThat(hasNpx || !required).as("npx (Node.js) is required for the playground test").isTrue();
        Assumptions.assumeTrue(hasNpx, "Node.js is not installed: skipping the Agents Playground test");
        boolean portTaken;
        try {
            send(HttpRequest.newBuilder(URI.create(PLAYGROUND + "/_internal/v1/config")).GET());
            portTaken = true;
        } catch (IllegalStateException free) {
            portTaken = false;
        }
        assertThat(portTaken).as("something already listens on port 56150 (a playground of your own?): stop it first").isFalse();
        Path dir = Path.of("target/playground");
        Files.createDirectories(dir);
        Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                "@microsoft/m365agentsplayground@0.2.28").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("npm.log").toFile()).start();
        assertThat(install.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(install.exitValue()).as("npm install, see target/playground/npm.log").isZero();
        ProcessBuilder start = new ProcessBuilder("npx", "agentsplayground", "-e", "http://localhost:" + port + "/api/messages",
                "-c", "msteams", "--disable-telemetry").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(new File(dir.toFile(), "playground.log"));
        start.environment().put("TEAMSAPPTESTER_BROWSER", "none");
        playground = start.start();
        // Waits for the playground's process to listen (a process start, not a timer).
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            try {
                if (send(HttpRequest.newBuilder(URI.create(PLAYGROUND + "/_internal/v1/config")).GET()).statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                assertThat(Instant.now()).as("the playground did not start; see target/playground/playground.log").isBefore(deadline);
            }
            assertThat(playground.isAlive()).as("the playground exited; see target/playground/playground.log").isTrue();
            Thread.sleep(200);
        }
    }

    @Test
    void alexInstallsTheBotGetsTheApprovalCardAndApprovesIt() throws Exception {
        startPlayground();
        // installing the app: the playground sends installationUpdate and conversationUpdate; the bot keeps the
        // conversation and asks the playground's connector for Alex's email
        String chat = installForAlex();
        assertThat(jdbc.sql("SELECT email FROM teams_conversation WHERE aad_object_id = ?").param(ALEX_AAD)
                .query(String.class).optional()).contains("alexw@example.com");

        assertThat(post(PLAYGROUND + "/_conversation/v1/conversations/" + chat + "/messages",
                "{\"type\":\"text\",\"text\":\"help\",\"textFormat\":\"plain\",\"from\":{\"id\":\"user-id-0\"}}").statusCode())
                .isLessThan(300);

        String id = intake("meganb@example.com", "s3:DeleteBucket", "123456789012");
        justify(id, "meganb@example.com", "1h");
        settle();
        String cardActivity = jdbc.sql("SELECT message_id FROM sent_message WHERE request_id = ? AND recipient = ? AND kind = 'APPROVAL_REQUEST'")
                .params(id, "alexw@example.com").query(String.class).single();
        assertThat(cardActivity).as("the card was delivered to the playground").isNotBlank();

        // Approve on the pending list carries no inputs: the answer is the approval card, asking for the reason
        HttpResponse<String> fromList = post(PLAYGROUND + "/_conversation/v1/invoke", """
                {"name":"adaptiveCard/action","value":{"action":{"type":"Action.Execute","title":"Approve","verb":"clearance.approve",
                 "data":{"requestId":"%s"}}},"from":{"id":"user-id-0"},"conversation":{"id":"%s"},"replyToId":"%s"}"""
                .formatted(id, chat, cardActivity));
        assertThat(fromList.statusCode()).isLessThan(300);
        assertThat(fromList.body()).contains("Give a reason for your decision", "clearance.approve", "\"id\":\"reason\"");
        assertThat(get(id).body().get("status").asString()).isEqualTo("PENDING");

        HttpResponse<String> invoke = post(PLAYGROUND + "/_conversation/v1/invoke", """
                {"name":"adaptiveCard/action","value":{"action":{"type":"Action.Execute","title":"Approve","verb":"clearance.approve",
                 "data":{"requestId":"%s","duration":"1h","reason":"matches INC-4711"}}},
                 "from":{"id":"user-id-0"},"conversation":{"id":"%s"},"replyToId":"%s"}""".formatted(id, chat, cardActivity));
        assertThat(invoke.statusCode()).isLessThan(300);
        assertThat(invoke.body()).contains("Approved by **Alex Wilber**");
        JsonNode request = get(id).body();
        assertThat(request.get("status").asString()).isEqualTo("APPROVED");
        assertThat(request.get("decidedBy").asString()).isEqualTo("alexw@example.com");

        settle();
        String audit = get(id).body().get("audit").toString();
        assertThat(audit).as("Alex's card and its update reached the playground")
                .doesNotContain("to alexw@example.com", "message to alexw@example.com");
        assertThat(audit).as("Megan never opened Teams: her notices are recorded as undeliverable, not lost")
                .contains("could not deliver REQUEST_APPROVED to meganb@example.com");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE request_id = ? AND (recipient IS NULL OR recipient = ?) "
                + "AND state <> 'DELIVERED'").params(id, "alexw@example.com").query(Long.class).single()).isZero();
    }

    @Test
    void anApprovalChannelGetsOneCardThatRefreshesWithButtonsForThoseWhoMayDecide() throws Exception {
        startPlayground();
        String announcements = ANNOUNCEMENTS;
        joinTeamAndChannel();
        String id = intake("alexw@example.com", "ec2:StartInstances", "555555555555");
        justify(id, "alexw@example.com", "1h");
        settle();
        String post = jdbc.sql("SELECT message_id FROM sent_message WHERE request_id = ? AND conversation_id = ? AND recipient IS NULL")
                .params(id, announcements).query(String.class).single();
        // a click on a channel post comes from the post's thread
        String thread = announcements + ";messageid=" + post;
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sent_message WHERE request_id = ? AND recipient IN (?, ?)")
                .params(id, "meganb@example.com", "adelev@example.com").query(Long.class).single())
                .as("one card in the channel instead of direct messages").isZero();

        JsonNode megansCard = json(refresh(id, "user-id-1", thread, post)).path("value");
        assertThat(megansCard.toString()).contains("clearance.approve", "clearance.deny");
        assertThat(megansCard.at("/refresh/userIds").toString()).contains("user-id-1", "user-id-2", "user-id-4")
                .doesNotContain("user-id-0");
        JsonNode isaiahsCard = json(refresh(id, "user-id-3", thread, post)).path("value");
        assertThat(isaiahsCard.toString()).as("not an approver: the state, no buttons")
                .contains("Submitted, waiting for approvers").doesNotContain("clearance.approve");
        JsonNode alexsCard = json(refresh(id, "user-id-0", thread, post)).path("value");
        assertThat(alexsCard.toString()).as("the requester gets no buttons").doesNotContain("clearance.approve");

        HttpResponse<String> approve = post(PLAYGROUND + "/_conversation/v1/invoke", approveBody(id, "user-id-1", post,
                "shared account, fine"));
        assertThat(approve.statusCode()).isLessThan(300);
        assertThat(approve.body()).contains("Approved by **Megan Bowen**").doesNotContain("clearance.approve");
        assertThat(get(id).body().get("decidedBy").asString()).isEqualTo("meganb@example.com");

        settle();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE request_id = ? AND recipient IS NULL AND state <> 'DELIVERED'")
                .param(id).query(Long.class).single()).as("the channel's card was updated in place").isZero();
        assertThat(get(id).body().get("audit").toString()).doesNotContain("could not update");
        JsonNode adelesCard = json(refresh(id, "user-id-2", thread, post)).path("value");
        assertThat(adelesCard.toString()).contains("Approved by **Megan Bowen**").doesNotContain("clearance.approve");
        assertThat(adelesCard.has("refresh")).as("nothing left to decide: no more refreshing").isFalse();
    }

    private static final String ANNOUNCEMENTS = "channel-announcements-id";

    /** The bot is added to the playground's team, then mentioned in its Announcements channel: both are remembered. */
    private void joinTeamAndChannel() throws Exception {
        if (jdbc.sql("SELECT COUNT(*) FROM teams_channel WHERE channel_id = ?").param(ANNOUNCEMENTS).query(Long.class).single() > 0) {
            return;
        }
        assertThat(post(PLAYGROUND + "/_debug/conversation/team-id/installation", "{}").statusCode()).isLessThan(300);
        awaitRow("SELECT COUNT(*) FROM teams_channel WHERE channel_id = 'team-id'");
        // the playground forwards a channel message only when it mentions the bot
        assertThat(post(PLAYGROUND + "/_conversation/v1/conversations/" + ANNOUNCEMENTS + "/messages", """
                {"type":"text","text":"<at>Test Bot</at> channelid","textFormat":"plain","from":{"id":"user-id-0"},
                 "mentions":[{"mentioned":{"id":"00000000-0000-0000-0000-00000000000011","name":"Test Bot"},"text":"<at>Test Bot</at>"}]}""")
                .statusCode()).isLessThan(300);
        awaitRow("SELECT COUNT(*) FROM teams_channel WHERE channel_id = '" + ANNOUNCEMENTS + "'");
        assertThat(jdbc.sql("SELECT service_url FROM teams_channel WHERE channel_id = ?").param(ANNOUNCEMENTS)
                .query(String.class).optional()).contains(PLAYGROUND + "/_connector");
    }

    /** Alex installs the app in the personal chat; returns that chat's id. */
    private String installForAlex() throws Exception {
        JsonNode config = json(send(HttpRequest.newBuilder(URI.create(PLAYGROUND + "/_internal/v1/config")).GET()));
        String chat = config.at("/config/personalChat/id").asString();
        assertThat(post(PLAYGROUND + "/_debug/conversation/" + chat + "/installation", "{}").statusCode()).isLessThan(300);
        awaitRow("SELECT COUNT(*) FROM teams_conversation WHERE aad_object_id = '" + ALEX_AAD + "' AND email IS NOT NULL");
        return chat;
    }

    /** The playground delivers activities after answering: waits (bounded) until the bot has stored what they carry. */
    private void awaitRow(String countQuery) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(30);
        while (jdbc.sql(countQuery).query(Long.class).single() == 0 && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        assertThat(jdbc.sql(countQuery).query(Long.class).single()).as(countQuery).isPositive();
    }

    @Test
    void alexExtendsFromTheExpiryNoticeAndMeganApprovesInTheChannel() throws Exception {
        startPlayground();
        String chat = installForAlex();
        joinTeamAndChannel();
        String id = intake("alexw@example.com", "ec2:RebootInstances", "555555555555");
        justify(id, "alexw@example.com", "1h");
        settle();
        String post = channelPost(id);
        assertThat(post(PLAYGROUND + "/_conversation/v1/invoke", approveBody(id, "user-id-1", post, "ok")).statusCode()).isLessThan(300);
        settle();
        assertThat(get(id).body().at("/grant/state").asString()).isEqualTo("ACTIVE");
        Instant end = Instant.parse(get(id).body().at("/grant/expiresAt").asString());

        advance(Duration.ofMinutes(50));
        String notice = jdbc.sql("SELECT message_id FROM sent_message WHERE request_id = ? AND recipient = ? AND kind = 'EXPIRY_NOTICE'")
                .params(id, "alexw@example.com").query(String.class).single();
        HttpResponse<String> extend = post(PLAYGROUND + "/_conversation/v1/invoke", """
                {"name":"adaptiveCard/action","value":{"action":{"type":"Action.Execute","title":"Extend","verb":"clearance.extend",
                 "data":{"requestId":"%s","duration":"1h","justification":"the reboot needs another hour"}}},
                 "from":{"id":"user-id-0"},"conversation":{"id":"%s"},"replyToId":"%s"}""".formatted(id, chat, notice));
        assertThat(extend.statusCode()).isLessThan(300);
        assertThat(extend.body()).contains("asked for; the approvers are asked");
        String ext = jdbc.sql("SELECT id FROM access_request WHERE extension_of = ?").param(id).query(String.class).single();

        settle();
        String extPost = channelPost(ext);
        JsonNode megansCard = json(refresh(ext, "user-id-1", ANNOUNCEMENTS + ";messageid=" + extPost, extPost)).path("value");
        assertThat(megansCard.toString()).contains("Extension needed", "extension of " + id, "clearance.approve");
        HttpResponse<String> approve = post(PLAYGROUND + "/_conversation/v1/invoke", approveBody(ext, "user-id-1", extPost, "fine"));
        assertThat(approve.body()).contains("Extension approved by **Megan Bowen**");
        settle();
        Instant newEnd = end.plus(Duration.ofHours(1));
        assertThat(Instant.parse(get(id).body().at("/grant/expiresAt").asString())).isEqualTo(newEnd);
        advance(Duration.ofMinutes(20));
        assertThat(status(id)).as("past the old end").isEqualTo("APPROVED");
        advance(Duration.between(clock.instant(), newEnd));
        assertThat(status(id)).isEqualTo("ENDED");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE request_id IN (?, ?) AND (recipient IS NULL OR recipient = ?) "
                + "AND state <> 'DELIVERED'").params(id, ext, "alexw@example.com").query(Long.class).single())
                .as("notice, channel cards and their updates all reached the playground").isZero();
    }

    private String channelPost(String requestId) {
        return jdbc.sql("SELECT message_id FROM sent_message WHERE request_id = ? AND conversation_id = ? AND recipient IS NULL")
                .params(requestId, ANNOUNCEMENTS).query(String.class).single();
    }

    private static String approveBody(String id, String userId, String post, String reason) {
        return """
                {"name":"adaptiveCard/action","value":{"action":{"type":"Action.Execute","title":"Approve","verb":"clearance.approve",
                 "data":{"requestId":"%s","duration":"1h","reason":"%s"}}},
                 "from":{"id":"%s"},"conversation":{"id":"%s"},"replyToId":"%s"}""".formatted(id, reason, userId,
                ANNOUNCEMENTS + ";messageid=" + post, post);
    }

    private HttpResponse<String> refresh(String id, String userId, String conversation, String replyTo) {
        HttpResponse<String> r = post(PLAYGROUND + "/_conversation/v1/invoke", """
                {"name":"adaptiveCard/action","value":{"trigger":"automatic","action":{"type":"Action.Execute","verb":"clearance.refresh",
                 "data":{"requestId":"%s"}}},"from":{"id":"%s"},"conversation":{"id":"%s"},"replyToId":"%s"}"""
                .formatted(id, userId, conversation, replyTo));
        assertThat(r.statusCode()).as(r.body()).isLessThan(300);
        return r;
    }

    private HttpResponse<String> post(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(60)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException("not listening yet", e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        return FakeTeams.JSON.readTree(r.body());
    }
}
