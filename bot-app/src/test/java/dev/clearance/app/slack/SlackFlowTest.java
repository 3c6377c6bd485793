package dev.clearance.app.slack;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.clearance.cards.Actions;
import dev.clearance.cards.slack.SlackIds;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/** Everything a Slack user does, through /slack/events, against WireMock playing Slack. */
class SlackFlowTest extends SlackTestBase {

    private String justified(String requesterId, String resource, String duration) {
        String id = intake(FakeSlack.USERS.get(requesterId), resource, "123456789012");
        settle();
        assertThat(send(blockAction(requesterId, Actions.PROVIDE_JUSTIFICATION, id)).status()).isEqualTo(200);
        assertThat(send(viewSubmission(requesterId, SlackIds.JUSTIFY_MODAL, id,
                Map.of(SlackIds.JUSTIFICATION_BLOCK, "INC-4711: remove the leaked bucket"),
                Map.of(SlackIds.DURATION_BLOCK, duration))).body()).isEmpty();
        settle();
        return id;
    }

    private SlackResponse decideInSlack(String approverId, String id, boolean approve, String reason) {
        send(blockAction(approverId, approve ? Actions.APPROVE : Actions.DENY, id));
        return send(viewSubmission(approverId, SlackIds.DECIDE_MODAL, (approve ? "approve:" : "deny:") + id,
                Map.of(SlackIds.REASON_BLOCK, reason), approve ? Map.of(SlackIds.DURATION_BLOCK, "2h") : Map.of()));
    }

    /** Opening a form changes nothing: the click is acked at once and the form opens just after. */
    @Test
    void aClickThatOnlyOpensAFormIsAckedBeforeTheFormOpens() {
        String id = intake("alice@example.com", "ec2:StartInstances", "123456789012");
        settle();
        var slowViews = SLACK.server.stubFor(post("/api/views.open").atPriority(1)
                .willReturn(okJson("{\"ok\":true,\"view\":{\"id\":\"V1\"}}").withFixedDelay(2_000)));
        try {
            SlackResponse ack = sendWithoutWaiting(blockAction("UALICE", Actions.PROVIDE_JUSTIFICATION, id),
                    clock.instant().getEpochSecond(), null);
            assertThat(ack.status()).isEqualTo(200);
            assertThat(afterAck.awaitIdle(Duration.ZERO)).as("the form was still opening when the ack came").isFalse();
            assertThat(afterAck.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(SLACK.calls("views.open")).anyMatch(c -> c.get("view").contains(SlackIds.JUSTIFY_MODAL)
                    && c.get("view").contains(id));
        } finally {
            SLACK.server.removeStub(slowViews);
        }
    }

    @Test
    void requesterJustifiesInAModalApproversDecideInModalsAndEveryCopyIsUpdated() {
        String id = intake("alice@example.com", "s3:DeleteBucket", "123456789012");
        settle();
        Map<String, String> prompt = SLACK.calls("chat.postMessage", "DALICE").get(0);
        assertThat(prompt.get("blocks")).contains(Actions.PROVIDE_JUSTIFICATION, Actions.DECLINE_JUSTIFICATION, id);

        send(blockAction("UALICE", Actions.PROVIDE_JUSTIFICATION, id));
        Map<String, String> modal = SLACK.calls("views.open").get(0);
        assertThat(modal.get("trigger_id")).isEqualTo("trigger-UALICE-" + Actions.PROVIDE_JUSTIFICATION);
        assertThat(modal.get("view")).contains(SlackIds.JUSTIFY_MODAL, "\"private_metadata\":\"" + id + "\"", "\"value\":\"8h\"")
                .doesNotContain("\"value\":\"1d\"");

        SlackResponse submitted = send(viewSubmission("UALICE", SlackIds.JUSTIFY_MODAL, id,
                Map.of(SlackIds.JUSTIFICATION_BLOCK, "INC-4711: remove the leaked bucket"), Map.of(SlackIds.DURATION_BLOCK, "4h")));
        assertThat(submitted.status()).isEqualTo(200);
        assertThat(status(id)).isEqualTo("PENDING");
        settle();
        for (String reviewer : List.of("DSAM", "DSUE", "DSID")) {
            assertThat(SLACK.calls("chat.postMessage", reviewer)).hasSize(1);
            assertThat(SLACK.calls("chat.postMessage", reviewer).get(0).get("blocks")).contains(Actions.APPROVE, Actions.DENY,
                    "INC-4711: remove the leaked bucket");
        }
        assertThat(SLACK.calls("chat.update", "DALICE").get(0).get("blocks")).as("the requester's DM now says submitted")
                .contains("Submitted, waiting for approvers", "step 1 of 2: Security review, 0/2 approvals");

        send(blockAction("USAM", Actions.APPROVE, id));
        assertThat(SLACK.calls("views.open").get(1).get("view")).contains(SlackIds.DECIDE_MODAL, "approve:" + id, "Reason for approving");
        assertThat(decideInSlack("USAM", id, true, "matches INC-4711").body()).isEmpty();
        assertThat(decideInSlack("USUE", id, true, "ok").body()).isEmpty();
        settle();
        assertThat(SLACK.calls("chat.postMessage", "DPAT")).hasSize(1);
        assertThat(SLACK.calls("chat.update", "DSID").stream().map(c -> c.get("blocks")))
                .anyMatch(b -> b.contains("step 2 of 2: Account owner, 0/1 approvals"));

        assertThat(decideInSlack("UPAT", id, true, "owner agrees").body()).isEmpty();
        settle();
        JsonNode approved = get(id).body();
        assertThat(approved.get("status").asString()).isEqualTo("APPROVED");
        assertThat(approved.get("approvedDuration").asString()).isEqualTo("2h");
        for (String copy : List.of("DSAM", "DSUE", "DSID", "DPAT", "DPIA", "DALICE")) {
            List<Map<String, String>> updates = SLACK.calls("chat.update", copy);
            assertThat(updates).as(copy).isNotEmpty();
            String last = updates.get(updates.size() - 1).get("blocks");
            assertThat(last).as(copy).contains("Approved by *Pat Prod-Owner*", "owner agrees", "2 hours").doesNotContain(Actions.APPROVE);
            assertThat(updates.get(updates.size() - 1).get("ts")).isEqualTo(postedTs(copy));
        }
        assertThat(SLACK.calls("chat.postMessage", "DALICE").stream().map(c -> c.get("text")))
                .anyMatch(t -> t.contains("was approved by Pat Prod-Owner for 2 hours"))
                .anyMatch(t -> t.startsWith("Access granted"));
    }

    private static String postedTs(String channel) {
        return SLACK.server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/api/chat.postMessage"))
                .filter(e -> FakeSlack.form(e.getRequest()).get("channel").equals(channel))
                .filter(e -> FakeSlack.form(e.getRequest()).get("blocks").contains(Actions.APPROVE)
                        || FakeSlack.form(e.getRequest()).get("blocks").contains(Actions.PROVIDE_JUSTIFICATION))
                .map(e -> JSON.readTree(e.getResponse().getBodyAsString()).get("ts").asString())
                .findFirst().orElseThrow();
    }

    @Test
    void aScopeWithAnApprovalChannelGetsOnePostThereInsteadOfDirectMessages() {
        String channel = "C0SANDBOXAPPROVALS";
        String id = intake("alice@example.com", "ec2:StopInstances", "333333333333");
        settle();
        send(blockAction("UALICE", Actions.PROVIDE_JUSTIFICATION, id));
        send(viewSubmission("UALICE", SlackIds.JUSTIFY_MODAL, id, Map.of(SlackIds.JUSTIFICATION_BLOCK, "sandbox reset"),
                Map.of(SlackIds.DURATION_BLOCK, "1h")));
        settle();
        assertThat(SLACK.calls("chat.postMessage", channel)).hasSize(1);
        assertThat(SLACK.calls("chat.postMessage", channel).get(0).get("blocks")).contains(Actions.APPROVE, "sandbox reset");
        assertThat(SLACK.calls("chat.postMessage", "DOLGA")).as("no direct messages when the scope has a channel").isEmpty();
        assertThat(SLACK.calls("chat.postMessage", "DBOB")).isEmpty();

        send(blockAction("UZED", Actions.APPROVE, id, channel));
        assertThat(SLACK.responses().get(0)).as("anyone in the channel may click; only approvers count")
                .containsEntry("channel", channel).containsEntry("user", "UZED").containsEntry("response_type", "ephemeral");
        send(blockAction("UOLGA", Actions.APPROVE, id, channel));
        assertThat(send(viewSubmission("UOLGA", SlackIds.DECIDE_MODAL, "approve:" + id, Map.of(SlackIds.REASON_BLOCK, "ok"),
                Map.of(SlackIds.DURATION_BLOCK, "1h"))).body()).isEmpty();
        settle();
        assertThat(status(id)).isEqualTo("APPROVED");
        List<Map<String, String>> updates = SLACK.calls("chat.update", channel);
        assertThat(updates.get(updates.size() - 1).get("blocks")).contains("Approved by *Olga Org-Approver*")
                .doesNotContain(Actions.APPROVE);
    }

    @Test
    void aDenyInTheModalEndsItAndTellsTheRequester() {
        String id = justified("UBOB", "ec2:TerminateInstances", "1h");
        assertThat(decideInSlack("UPIA", id, false, "use the runbook").body()).isEmpty();
        settle();
        assertThat(status(id)).isEqualTo("DENIED");
        assertThat(SLACK.calls("chat.postMessage", "DBOB").stream().map(c -> c.get("text")))
                .anyMatch(t -> t.contains("denied by Pia Prod-Owner: use the runbook"));
        List<Map<String, String>> patCopy = SLACK.calls("chat.update", "DPAT");
        assertThat(patCopy.get(patCopy.size() - 1).get("blocks")).contains("Denied by *Pia Prod-Owner*").doesNotContain(Actions.APPROVE);
    }

    @Test
    void anIneligibleClickGetsAnEphemeralExplanationAndNoForm() {
        String id = justified("UBOB", "ec2:StopInstances", "1h");
        int modals = SLACK.calls("views.open").size();
        send(blockAction("USAM", Actions.APPROVE, id));
        send(blockAction("UBOB", Actions.APPROVE, id));
        assertThat(SLACK.calls("views.open")).hasSize(modals);
        List<Map<String, String>> ephemerals = SLACK.responses();
        assertThat(ephemerals).extracting(e -> e.get("user")).containsExactly("USAM", "UBOB");
        assertThat(ephemerals.get(0).get("text")).contains("sam@example.com is not an approver");
        assertThat(ephemerals.get(1).get("text")).contains("self-approval is forbidden");
        assertThat(ephemerals.get(1).get("channel")).isEqualTo("DBOB");

        decideInSlack("UPAT", id, true, "fine");
        send(blockAction("UPIA", Actions.APPROVE, id));
        assertThat(SLACK.responses().get(2).get("text")).contains("already approved by pat@example.com at");
        assertThat(get(id).body().at("/steps/0/approvals").size()).isEqualTo(1);
    }

    @Test
    void aDoubleSubmitNeverCountsTwice() {
        String id = justified("UBOB", "s3:DeleteBucket", "1h");
        assertThat(decideInSlack("USAM", id, true, "first").body()).isEmpty();
        SlackResponse again = send(viewSubmission("USAM", SlackIds.DECIDE_MODAL, "approve:" + id,
                Map.of(SlackIds.REASON_BLOCK, "second"), Map.of(SlackIds.DURATION_BLOCK, "1h")));
        assertThat(again.json().get("response_action").asString()).isEqualTo("errors");
        assertThat(again.json().at("/errors/reason").asString()).contains("already approved");
        assertThat(get(id).body().at("/steps/0/approvals").size()).isEqualTo(1);
    }

    @Test
    void modalValidationErrorsAreShownInlineAndChangeNothing() {
        String id = intake("bob@example.com", "ec2:RebootInstances", "123456789012");
        SlackResponse tooLong = send(viewSubmission("UBOB", SlackIds.JUSTIFY_MODAL, id,
                Map.of(SlackIds.JUSTIFICATION_BLOCK, "x".repeat(3001)), Map.of(SlackIds.DURATION_BLOCK, "1h")));
        assertThat(tooLong.json().at("/errors/justification").asString()).contains("at most 3000");
        SlackResponse badDuration = send(viewSubmission("UBOB", SlackIds.JUSTIFY_MODAL, id,
                Map.of(SlackIds.JUSTIFICATION_BLOCK, "ok"), Map.of(SlackIds.DURATION_BLOCK, "2h")));
        assertThat(badDuration.json().at("/errors/duration").asString()).contains("choose one of");
        assertThat(status(id)).isEqualTo("REQUESTED");
    }

    @Test
    void theNoButtonAbandons() {
        String id = intake("bob@example.com", "kms:Decrypt", "123456789012");
        settle();
        send(blockAction("UBOB", Actions.DECLINE_JUSTIFICATION, id));
        assertThat(status(id)).isEqualTo("ABANDONED");
        settle();
        List<Map<String, String>> updates = SLACK.calls("chat.update", "DBOB");
        assertThat(updates.get(updates.size() - 1).get("blocks")).contains("Abandoned").doesNotContain(Actions.PROVIDE_JUSTIFICATION);
    }

    @Test
    void escalationPingsTheNextLevelAndMarksEveryCopy() {
        String id = justified("UBOB", "rds:RebootDBInstance", "1h");
        assertThat(SLACK.calls("chat.postMessage", "DOLGA")).isEmpty();
        advance(Duration.ofHours(1));
        List<Map<String, String>> olga = SLACK.calls("chat.postMessage", "DOLGA");
        assertThat(olga).hasSize(1);
        assertThat(olga.get(0).get("blocks")).contains("Approval needed (escalated)", "pending for 1 h", Actions.APPROVE);
        List<Map<String, String>> pat = SLACK.calls("chat.update", "DPAT");
        assertThat(pat.get(pat.size() - 1).get("blocks")).contains("*Escalation*\\nlevel 1");
    }

    @Test
    void rateLimitedPostsWaitForRetryAfterAndArePostedOnce() {
        SLACK.server.stubFor(post("/api/chat.postMessage").atPriority(1).withRequestBody(containing("channel=DZED"))
                .inScenario("ratelimit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "20")).willSetStateTo("open"));
        String id = intake("zed@example.com", "sqs:PurgeQueue", "123456789012");
        settle();
        assertThat(SLACK.calls("chat.postMessage", "DZED")).hasSize(1);
        advance(Duration.ofSeconds(19));
        assertThat(SLACK.calls("chat.postMessage", "DZED")).as("not before Retry-After").hasSize(1);
        advance(Duration.ofSeconds(1));
        assertThat(SLACK.calls("chat.postMessage", "DZED")).hasSize(2);
        advance(Duration.ofMinutes(10));
        assertThat(SLACK.calls("chat.postMessage", "DZED")).hasSize(2);
        assertThat(SLACK.calls("chat.postMessage", "DZED").get(1).get("blocks")).contains(id);
    }

    @Test
    void anApproverSlackDoesNotKnowIsAuditedAndReportedToAdmins() {
        SLACK.server.stubFor(post("/api/chat.postMessage").atPriority(1).withRequestBody(containing("channel=DPIA"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));
        String id = justified("UBOB", "ec2:ModifyVolume", "1h");
        assertThat(SLACK.calls("chat.postMessage", "DPAT")).hasSize(1);
        assertThat(get(id).body().get("audit").toString()).contains("could not deliver APPROVAL_REQUEST to pia@example.com",
                "channel_not_found");
        assertThat(SLACK.calls("chat.postMessage", "DROOT").stream().map(c -> c.get("text")))
                .anyMatch(t -> t.contains("ALERT") && t.contains("pia@example.com"));
    }
}
