package dev.clearance.app.slack;

import dev.clearance.cards.slack.SlackIds;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code SLACK_ALLOWED_TEAM_IDS} lets members of more workspaces ({@code T…}) or Enterprise Grid organisations
 * ({@code E…}) act; anyone else is still refused. And messages for a person never go to an outsider who carries their
 * email.
 */
@TestPropertySource(properties = "clearance.slack.allowed-team-ids=T0PARTNER, E0GRID")
class SlackAllowedTeamsTest extends SlackTestBase {
    private static void profile(String userId, String teamId, String enterpriseId, String email) {
        SLACK.server.stubFor(post("/api/users.info").atPriority(1).withRequestBody(containing("user=" + userId))
                .willReturn(okJson("{\"ok\":true,\"user\":{\"id\":\"" + userId + "\",\"name\":\"x\",\"team_id\":\"" + teamId
                        + "\"" + (enterpriseId == null ? "" : ",\"enterprise_user\":{\"id\":\"" + userId
                        + "\",\"enterprise_id\":\"" + enterpriseId + "\",\"teams\":[\"" + teamId + "\"]}")
                        + ",\"profile\":{\"email\":\"" + email + "\"}}}")));
    }

    @Test
    void membersOfAnAllowedWorkspaceOrOrganisationActOthersAreRefused() {
        profile("UPARTNER", "T0PARTNER", null, "sam@example.com");
        profile("UGRID", "T0SUB", "E0GRID", "sue@example.com");
        profile("UOTHER", "T0OTHER", null, "sid@example.com");
        String id = intake("alice@example.com", "s3:DeleteBucket" + UUID.randomUUID().toString().substring(0, 8), "123456789012");
        justify(id, "alice@example.com", null);
        settle();

        assertThat(send(slashCommand("UOTHER", "show " + id, "T0OTHER", null)).json().get("text").asString())
                .contains("Clearance only acts for members of Acme");
        assertThat(send(slashCommand("UPARTNER", "show " + id, "T0PARTNER", null)).json().get("text").asString())
                .doesNotContain("only acts for").contains(id);
        assertThat(send(slashCommand("UGRID", "show " + id, "T0SUB", "E0GRID")).json().get("text").asString())
                .doesNotContain("only acts for").contains(id);

        SlackResponse decided = send(viewSubmission("UPARTNER", "T0PARTNER", SlackIds.DECIDE_MODAL, "approve:" + id,
                Map.of(SlackIds.REASON_BLOCK, "partner approves"), Map.of(SlackIds.DURATION_BLOCK, "2h")));
        assertThat(decided.body()).isEmpty();
        assertThat(get(id).body().toString()).contains("partner approves");
        withdraw(id, "alice@example.com");
    }

    @Test
    void anOutsiderWithAnApproversEmailReceivesNoApprovalRequest() {
        advance(Duration.ofHours(2)); // past the identity cache of earlier tests in this application
        SLACK.server.stubFor(post("/api/users.lookupByEmail").atPriority(1).withRequestBody(containing("email=sid%40example.com"))
                .willReturn(okJson("{\"ok\":true,\"user\":{\"id\":\"UEXTSID\",\"name\":\"sid\",\"team_id\":\"T0OTHER\","
                        + "\"profile\":{\"email\":\"sid@example.com\"}}}")));
        String id = intake("alice@example.com", "s3:DeleteBucket" + UUID.randomUUID().toString().substring(0, 8), "123456789012");
        justify(id, "alice@example.com", null);
        settle();
        assertThat(SLACK.calls("chat.postMessage", "DSAM")).as("a member gets it").isNotEmpty();
        assertThat(SLACK.calls("conversations.open")).noneMatch(c -> c.get("users").contains("UEXTSID"));
        assertThat(SLACK.calls("chat.postMessage", "DEXTSID")).isEmpty();
        withdraw(id, "alice@example.com");
    }
}
