package dev.clearance.app.slack;

import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.port.Outbox;
import dev.clearance.core.port.Outbox.PendingDelivery;
import dev.clearance.core.port.Transactions;
import dev.clearance.core.service.NotificationDelivery;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dispatcher that dies after Slack took its post but before the post was recorded leaves the outbox row claimed.
 * When the claim runs out, the next dispatcher must find that post (by the dedupe key in its metadata) instead of
 * posting the message a second time; and post it when Slack has no such message.
 */
class SlackInDoubtDeliveryTest extends SlackTestBase {
    @Autowired
    Outbox outbox;
    @Autowired
    Transactions transactions;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aPostMadeByADeadDispatcherIsFoundNotPostedAgain() throws Exception {
        String id = intake("alice@example.com", "ec2:InDoubt" + java.util.UUID.randomUUID(), "123456789012");
        PendingDelivery prompt = claimPrompt(id);
        // the dead dispatcher's call, as Slack received it: with the dedupe key in the message metadata
        String ts = postAsTheDeadDispatcher(FakeSlack.dm("UALICE"), prompt.message().dedupeKey());

        clock.advance(NotificationDelivery.LEASE.plusSeconds(1));
        settle();

        assertThat(SLACK.calls("chat.postMessage", FakeSlack.dm("UALICE"))).as("posted once, by the dead dispatcher").hasSize(1);
        assertThat(jdbc.sql("SELECT message_id FROM sent_message WHERE dedupe_key = ?").param(prompt.message().dedupeKey())
                .query(String.class).list()).as("the found post is recorded, so later updates reach it").containsExactly(ts);
        assertThat(SLACK.calls("conversations.history")).isNotEmpty();
        withdraw(id, "alice@example.com");
    }

    @Test
    void aMessageInDoubtThatSlackNeverGotIsPostedOnce() {
        String id = intake("alice@example.com", "ec2:InDoubt" + java.util.UUID.randomUUID(), "123456789012");
        claimPrompt(id);
        clock.advance(NotificationDelivery.LEASE.plusSeconds(1));
        settle();
        assertThat(SLACK.calls("chat.postMessage", FakeSlack.dm("UALICE"))).hasSize(1);
        assertThat(SLACK.calls("chat.postMessage", FakeSlack.dm("UALICE")).get(0).get("metadata"))
                .as("every post carries its dedupe key").contains("clearance_message").contains(id);
        withdraw(id, "alice@example.com");
    }

    /** Claims the outbox rows (a dispatcher's claim, never finished) and returns the requester's prompt. */
    private PendingDelivery claimPrompt(String id) {
        List<PendingDelivery> claimed = transactions.inTransaction(() -> outbox.claimDue(clock.instant(), 50,
                NotificationDelivery.LEASE));
        return claimed.stream().filter(d -> d.message().kind() == NotificationKind.JUSTIFICATION_PROMPT
                && d.message().requestId().map(r -> r.value().equals(id)).orElse(false)).findFirst().orElseThrow();
    }

    private static String postAsTheDeadDispatcher(String channel, String dedupeKey) throws Exception {
        String form = "channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8) + "&text=prompt&metadata="
                + URLEncoder.encode("{\"event_type\":\"clearance_message\",\"event_payload\":{\"dedupe_key\":\""
                + dedupeKey + "\"}}", StandardCharsets.UTF_8);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(SLACK.apiUrl() + "chat.postMessage"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).get("ts").asString();
    }
}
