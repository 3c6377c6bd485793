package dev.clearance.app.slack;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.clearance.app.teams.TeamsProbe;
import dev.clearance.cards.Actions;
import dev.clearance.cards.slack.SlackIds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One request, one state, two platforms: each person is reached where they are known (Slack if Slack knows their
 * email, else their Teams conversation), and a decision on one platform updates every copy on both.
 */
@TestPropertySource(properties = "clearance.teams.allow-unauthenticated=true")
class CrossPlatformTest extends SlackTestBase {
    private final TeamsProbe teams = new TeamsProbe();

    @BeforeEach
    void onlyOnTeams() {
        teams.reset();
        for (String who : List.of("pat", "pia", "sid")) {
            // Slack does not know them: they use Teams, where they installed Clearance
            SLACK.server.stubFor(WireMock.post("/api/users.lookupByEmail").atPriority(1)
                    .withRequestBody(WireMock.containing("email=" + who + "%40example.com"))
                    .willReturn(WireMock.okJson("{\"ok\":false,\"error\":\"users_not_found\"}")));
            assertThat(teams.post(port, teams.install(who))).isEqualTo(200);
        }
    }

    @Test
    void requesterOnSlackApproverOnTeams() {
        String id = intake("alice@example.com", "ec2:RebootInstances", "123456789012");
        settle();
        send(blockAction("UALICE", Actions.PROVIDE_JUSTIFICATION, id));
        send(viewSubmission("UALICE", SlackIds.JUSTIFY_MODAL, id, Map.of(SlackIds.JUSTIFICATION_BLOCK, "patch night"),
                Map.of(SlackIds.DURATION_BLOCK, "1h")));
        settle();
        assertThat(teams.to("pat", "POST")).hasSize(1);
        assertThat(teams.to("pia", "POST")).hasSize(1);
        assertThat(SLACK.calls("chat.postMessage", "DPAT")).isEmpty();

        String card = teams.invoke(port, "pat", Actions.APPROVE, Map.of("requestId", id, "reason", "go ahead"));
        assertThat(card).contains("Approved by **Pat Prod-Owner**");
        settle();
        List<Map<String, String>> slackCopy = SLACK.calls("chat.update", "DALICE");
        assertThat(slackCopy.get(slackCopy.size() - 1).get("blocks")).as("the Slack DM is updated after the Teams decision")
                .contains("Approved by *Pat Prod-Owner*", "go ahead");
        assertThat(SLACK.calls("chat.postMessage", "DALICE").stream().map(c -> c.get("text")))
                .anyMatch(t -> t.contains("was approved by Pat Prod-Owner"));
        List<String> piaCopy = teams.to("pia", "PUT");
        assertThat(piaCopy.get(piaCopy.size() - 1)).contains("Approved by").doesNotContain("Action.Execute");
    }

    @Test
    void requesterOnTeamsApproverOnSlack() {
        String id = intake("sid@example.com", "ec2:StartInstances", "210987654321");
        settle();
        assertThat(teams.to("sid", "POST")).hasSize(1);
        teams.invoke(port, "sid", Actions.PROVIDE_JUSTIFICATION, Map.of("requestId", id, "justification", "batch job", "duration", "1h"));
        settle();
        assertThat(SLACK.calls("chat.postMessage", "DOLGA")).hasSize(1);
        send(blockAction("UOLGA", Actions.APPROVE, id));
        assertThat(send(viewSubmission("UOLGA", SlackIds.DECIDE_MODAL, "approve:" + id, Map.of(SlackIds.REASON_BLOCK, "fine"),
                Map.of(SlackIds.DURATION_BLOCK, "1h"))).body()).isEmpty();
        settle();
        List<String> sidCard = teams.to("sid", "PUT");
        assertThat(sidCard.get(sidCard.size() - 1)).as("the Teams card is updated after the Slack decision")
                .contains("Approved by **Olga Org-Approver**").doesNotContain("Action.Execute");
        assertThat(teams.to("sid", "POST").stream()).anyMatch(c -> c.contains("was approved by Olga Org-Approver"));
    }
}
