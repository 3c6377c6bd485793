package dev.clearance.app.slack;

import dev.clearance.app.support.StoreSnapshot;
import dev.clearance.cards.Actions;
import dev.clearance.cards.slack.SlackIds;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clearance acts only for members of the workspace it is installed in (auth.test: Acme, T0ACME). A Slack Connect member
 * of a shared channel, or a guest from another organisation, is signed by Slack like anyone else and may even carry an
 * approver's email in their own organisation's profile: whatever they send, they are told why and nothing happens.
 */
class SlackIdentityPinningTest extends SlackTestBase {
    /** A Slack Connect member from another organisation, whose profile there says sam@example.com (an approver). */
    private static final String OUTSIDER = "UEXTSAM";
    private static final String OTHER_TEAM = "T0OTHER";
    private static final String REFUSAL = "Clearance only acts for members of Acme";

    @Autowired
    JdbcClient jdbc;

    private void outsiderProfile(String userId, String teamId, String email, boolean stranger) {
        SLACK.server.stubFor(post("/api/users.info").atPriority(1).withRequestBody(containing("user=" + userId))
                .willReturn(okJson("{\"ok\":true,\"user\":{\"id\":\"" + userId + "\",\"name\":\"ext\",\"team_id\":\""
                        + teamId + "\",\"is_stranger\":" + stranger + ",\"profile\":{\"email\":\"" + email + "\"}}}")));
        SLACK.server.stubFor(post("/api/conversations.open").atPriority(1).withRequestBody(containing("users=" + userId))
                .willReturn(okJson("{\"ok\":true,\"channel\":{\"id\":\"D" + userId.substring(1) + "\"}}")));
    }

    private String pendingRequest() {
        String id = intake("alice@example.com", "s3:DeleteBucket" + UUID.randomUUID().toString().substring(0, 8), "123456789012");
        assertThat(justify(id, "alice@example.com", null).status()).isEqualTo(200);
        settle();
        return id;
    }

    @Test
    void aSlackConnectMemberWithAnApproversEmailCannotApproveByButtonOrForm() {
        outsiderProfile(OUTSIDER, OTHER_TEAM, "sam@example.com", false);
        String id = pendingRequest();
        String before = StoreSnapshot.of(jdbc);
        int formsBefore = SLACK.calls("views.open").size();

        send(blockAction(OUTSIDER, OTHER_TEAM, Actions.APPROVE, id, "C0SHARED"));
        assertThat(SLACK.calls("views.open")).as("no decision form opened").hasSize(formsBefore);
        assertThat(SLACK.responses()).anySatisfy(reply -> {
            assertThat(reply).containsEntry("user", OUTSIDER).containsEntry("response_type", "ephemeral");
            assertThat(reply.get("text")).contains(REFUSAL);
        });

        SlackResponse submitted = send(viewSubmission(OUTSIDER, OTHER_TEAM, SlackIds.DECIDE_MODAL, "approve:" + id,
                Map.of(SlackIds.REASON_BLOCK, "looks fine"), Map.of(SlackIds.DURATION_BLOCK, "2h")));
        assertThat(submitted.json().get("response_action").asString()).isEqualTo("errors");
        assertThat(submitted.json().get("errors").toString()).contains(REFUSAL);

        assertThat(StoreSnapshot.of(jdbc)).as("no vote, no audit event, no message").isEqualTo(before);
        assertThat(status(id)).isEqualTo("PENDING");
        withdraw(id, "alice@example.com");
    }

    @Test
    void aSlashCommandFromAnotherWorkspaceIsRefusedBeforeAnyLookUp() {
        outsiderProfile("UEXTALICE", OTHER_TEAM, "alice@example.com", false);
        String id = pendingRequest();
        String before = StoreSnapshot.of(jdbc);
        int lookups = SLACK.calls("users.info").size();

        SlackResponse r = send(slashCommand("UEXTALICE", "cancel " + id, OTHER_TEAM, null));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("response_type").asString()).isEqualTo("ephemeral");
        assertThat(r.json().get("text").asString()).contains(REFUSAL);
        assertThat(SLACK.calls("users.info")).as("refused on the signed payload alone").hasSize(lookups);
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
        assertThat(status(id)).isEqualTo("PENDING");

        SlackResponse form = send(slashCommand("UEXTALICE", "request", OTHER_TEAM, null));
        assertThat(form.json().get("text").asString()).contains(REFUSAL);
        assertThat(SLACK.calls("views.open")).noneMatch(c -> c.get("trigger_id").equals("trigger-UEXTALICE"));
        withdraw(id, "alice@example.com");
    }

    @Test
    void anOutsidersRequestFormAndNoThanksClickChangeNothing() {
        outsiderProfile("UEXTALICE", OTHER_TEAM, "alice@example.com", false);
        String id = intake("alice@example.com", "s3:DeleteBucket" + UUID.randomUUID().toString().substring(0, 8), "123456789012");
        settle();
        String before = StoreSnapshot.of(jdbc);

        // "No thanks" ends a request before its ack: the one click that changes something synchronously
        send(blockAction("UEXTALICE", OTHER_TEAM, Actions.DECLINE_JUSTIFICATION, id, "C0SHARED"));
        assertThat(status(id)).isEqualTo("REQUESTED");

        SlackResponse intake = send(viewSubmission("UEXTALICE", OTHER_TEAM, SlackIds.REQUEST_MODAL, "",
                Map.of(SlackIds.RESOURCE_BLOCK, "ec2:StartInstances", SlackIds.ACCOUNT_BLOCK, "123456789012",
                        SlackIds.JUSTIFICATION_BLOCK, "INC-1: outsider"), Map.of(SlackIds.DURATION_BLOCK, "1h")));
        assertThat(intake.json().get("response_action").asString()).isEqualTo("errors");
        assertThat(intake.json().get("errors").toString()).contains(REFUSAL);

        assertThat(StoreSnapshot.of(jdbc)).as("no request created, nothing abandoned").isEqualTo(before);
        withdraw(id, "alice@example.com");
    }

    @Test
    void slackSaysWhereAUserBelongsEvenWhenThePayloadNamesOurWorkspace() {
        // the payload's team is the installed one, but users.info (asked with our token) says otherwise
        outsiderProfile("UEXTSUE", OTHER_TEAM, "sue@example.com", false);
        // a stranger: another organisation's user Slack shows us without a shared channel
        outsiderProfile("USTRANGER", FakeSlack.TEAM, "sid@example.com", true);
        String id = pendingRequest();
        String before = StoreSnapshot.of(jdbc);
        for (String user : new String[]{"UEXTSUE", "USTRANGER"}) {
            SlackResponse submitted = send(viewSubmission(user, FakeSlack.TEAM, SlackIds.DECIDE_MODAL, "approve:" + id,
                    Map.of(SlackIds.REASON_BLOCK, "looks fine"), Map.of(SlackIds.DURATION_BLOCK, "2h")));
            assertThat(submitted.json().get("errors").toString()).as(user).contains(REFUSAL);
            SlackResponse command = send(slashCommand(user, "pending"));
            assertThat(command.json().get("text").asString()).as(user).contains(REFUSAL);
        }
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
        assertThat(status(id)).isEqualTo("PENDING");
        withdraw(id, "alice@example.com");
    }

    @Test
    void aMemberOfTheInstalledWorkspaceStillActs() {
        String id = pendingRequest();
        send(blockAction("USAM", Actions.APPROVE, id));
        SlackResponse decided = send(viewSubmission("USAM", SlackIds.DECIDE_MODAL, "approve:" + id,
                Map.of(SlackIds.REASON_BLOCK, "matches the incident"), Map.of(SlackIds.DURATION_BLOCK, "2h")));
        assertThat(decided.body()).isEmpty();
        assertThat(get(id).body().toString()).contains("matches the incident");
        withdraw(id, "alice@example.com");
    }
}
