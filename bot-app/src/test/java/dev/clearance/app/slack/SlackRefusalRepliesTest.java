package dev.clearance.app.slack;

import dev.clearance.cards.Actions;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refused click is explained to the clicker wherever they clicked. Slash commands work in channels the bot is not
 * in, and chat.postEphemeral there answers not_in_channel: the reply goes through the interaction's response_url,
 * and when that fails too, as a DM from the bot.
 */
class SlackRefusalRepliesTest extends SlackTestBase {
    private static final String FOREIGN_CHANNEL = "C0BOTNOTHERE";

    @Test
    void aStaleClickInAChannelTheBotIsNotInIsExplainedThroughTheResponseUrl() {
        String id = intake("alice@example.com", "ec2:Refused" + java.util.UUID.randomUUID(), "123456789012");
        settle();
        SLACK.server.stubFor(post("/api/chat.postEphemeral").atPriority(1)
                .willReturn(okJson("{\"ok\":false,\"error\":\"not_in_channel\"}")));
        send(blockAction("USAM", Actions.APPROVE, id, FOREIGN_CHANNEL));
        assertThat(SLACK.responses()).singleElement().satisfies(reply -> {
            assertThat(reply).containsEntry("user", "USAM").containsEntry("channel", FOREIGN_CHANNEL)
                    .containsEntry("response_type", "ephemeral");
            assertThat(reply.get("text")).contains("cannot decide");
        });
        assertThat(SLACK.calls("chat.postEphemeral")).as("not needed").isEmpty();
        withdraw(id, "alice@example.com");
    }

    @Test
    void whenTheResponseUrlHasExpiredAndTheBotIsNotInTheChannelTheReplyIsADirectMessage() {
        String id = intake("alice@example.com", "ec2:Refused" + java.util.UUID.randomUUID(), "123456789012");
        settle();
        SLACK.server.stubFor(post(urlPathMatching("/actions/.*")).atPriority(1).willReturn(aResponse().withStatus(404)
                .withBody("expired_url")));
        SLACK.server.stubFor(post("/api/chat.postEphemeral").atPriority(1)
                .willReturn(okJson("{\"ok\":false,\"error\":\"not_in_channel\"}")));
        int before = SLACK.calls("chat.postMessage", FakeSlack.dm("USAM")).size();
        send(blockAction("USAM", Actions.APPROVE, id, FOREIGN_CHANNEL));
        assertThat(SLACK.calls("chat.postEphemeral")).hasSize(1);
        assertThat(SLACK.calls("chat.postMessage", FakeSlack.dm("USAM"))).hasSize(before + 1);
        assertThat(SLACK.calls("chat.postMessage", FakeSlack.dm("USAM")).get(before).get("text")).contains("cannot decide");
        withdraw(id, "alice@example.com");
    }

}
