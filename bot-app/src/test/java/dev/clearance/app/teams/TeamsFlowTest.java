package dev.clearance.app.teams;

import dev.clearance.cards.Actions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/** Everything a Teams user does, through /api/messages, against WireMock playing the Bot Connector. */
class TeamsFlowTest extends TeamsTestBase {

    private Reply invoke(String who, String verb, Map<String, String> data) {
        Reply r = activity(TEAMS.invoke(who, verb, data));
        assertOk(r);
        JsonNode body = r.json();
        assertThat(body.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body.get("type").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
        return r;
    }

    private String justified(String who, String resource) {
        String id = intake(who + "@example.com", resource, "123456789012");
        settle();
        invoke(who, Actions.PROVIDE_JUSTIFICATION, Map.of("requestId", id, "justification", "INC-4711 cleanup", "duration", "1h"));
        settle();
        return id;
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private String conversationRow(String who) {
        return jdbc.sql("SELECT email || ' ' || conversation_id || ' ' || CAST(updated_at AS VARCHAR(64)) FROM teams_conversation"
                + " WHERE aad_object_id = ?").param("aad-" + who).query(String.class).single();
    }

    /** Every activity passes by the stored conversation; only a change to it is written (a click is not a commit more). */
    @Test
    void aKnownUsersClicksLeaveTheirStoredConversationAlone() {
        String first = intake("alice@example.com", "ec2:RebootInstances", "123456789012");
        String second = intake("alice@example.com", "ec2:StartInstances", "123456789012");
        settle();
        invoke("alice", Actions.PROVIDE_JUSTIFICATION, Map.of("requestId", first, "justification", "INC-4711 reboot", "duration", "1h"));
        String before = conversationRow("alice");
        assertThat(before).startsWith("alice@example.com a:alice ");
        advance(Duration.ofMinutes(5));
        invoke("alice", Actions.PROVIDE_JUSTIFICATION, Map.of("requestId", second, "justification", "INC-4711 start", "duration", "1h"));
        assertThat(status(second)).isEqualTo("PENDING");
        assertThat(conversationRow("alice")).as("unchanged, updated_at included").isEqualTo(before);
    }

    @Test
    void approversDecideOnCardsAndEveryCopyIsUpdated() {
        String id = intake("alice@example.com", "s3:DeleteBucket", "123456789012");
        settle();
        List<FakeTeams.Sent> prompt = TEAMS.to("alice", "POST");
        assertThat(prompt).hasSize(1);
        assertThat(prompt.get(0).card()).contains("\"verb\":\"" + Actions.PROVIDE_JUSTIFICATION + "\"", id);

        Reply submitted = invoke("alice", Actions.PROVIDE_JUSTIFICATION,
                Map.of("requestId", id, "justification", "INC-4711 cleanup", "duration", "4h"));
        assertThat(submitted.card()).contains("Submitted, waiting for approvers").doesNotContain("Action.Execute");
        assertThat(status(id)).isEqualTo("PENDING");
        settle();
        for (String reviewer : List.of("sam", "sue", "sid")) {
            assertThat(TEAMS.to(reviewer, "POST")).hasSize(1);
            assertThat(TEAMS.to(reviewer, "POST").get(0).card()).contains("\"verb\":\"clearance.approve\"", "INC-4711 cleanup");
        }

        Reply first = invoke("sam", Actions.APPROVE, Map.of("requestId", id, "reason", "matches the incident", "duration", "4h"));
        assertThat(first.card()).contains("Your approval is recorded: step 1 of 2: Security review, 1/2 approvals");
        invoke("sue", Actions.APPROVE, Map.of("requestId", id, "reason", "ok", "duration", "4h"));
        settle();
        assertThat(TEAMS.to("pat", "POST")).hasSize(1);
        assertThat(TEAMS.to("pat", "POST").get(0).card()).contains("\"verb\":\"clearance.approve\"", "step 2 of 2");
        List<FakeTeams.Sent> sidCopy = TEAMS.to("sid", "PUT");
        assertThat(sidCopy.get(sidCopy.size() - 1).card()).as("step 1 is done: no stale buttons for its approvers")
                .contains("step 2 of 2: Account owner, 0/1 approvals").doesNotContain("Action.Execute");

        Reply decided = invoke("pat", Actions.APPROVE, Map.of("requestId", id, "reason", "owner agrees", "duration", "2h"));
        assertThat(decided.card()).contains("Approved by **Pat Prod-Owner**", "owner agrees", "2 hours").doesNotContain("Action.Execute");
        assertThat(status(id)).isEqualTo("APPROVED");
        settle();
        for (String copy : List.of("sam", "sue", "sid", "pia", "alice")) {
            List<FakeTeams.Sent> updates = TEAMS.to(copy, "PUT");
            assertThat(updates).as(copy).isNotEmpty();
            FakeTeams.Sent last = updates.get(updates.size() - 1);
            assertThat(last.card()).as(copy).contains("Approved by **Pat Prod-Owner**").doesNotContain("Action.Execute");
            assertThat(last.activityId()).as("updates the message first posted").isEqualTo(firstPosted(copy));
        }
        assertThat(TEAMS.to("alice", "POST").stream().map(FakeTeams.Sent::card))
                .anyMatch(c -> c.contains("was approved by Pat Prod-Owner for 2 hours"))
                .anyMatch(c -> c.contains("Access granted"));
    }

    private static String firstPosted(String who) {
        return TEAMS.server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST"))
                .filter(e -> e.getRequest().getUrl().matches("/v3/conversations/a(:|%3A)" + who + "/activities"))
                .filter(e -> e.getRequest().getBodyAsString().contains("Action.Execute"))
                .map(e -> FakeTeams.JSON.readTree(e.getResponse().getBodyAsString()).get("id").asString())
                .findFirst().orElseThrow();
    }

    @Test
    void aDenyEndsItAndTellsTheRequester() {
        String id = justified("bob", "ec2:TerminateInstances");
        Reply denied = invoke("pia", Actions.DENY, Map.of("requestId", id, "reason", "use the runbook"));
        assertThat(denied.card()).contains("Denied by **Pia Prod-Owner**");
        settle();
        assertThat(TEAMS.to("bob", "POST").stream().map(FakeTeams.Sent::card)).as(TEAMS.sent().stream().map(s -> s.method() + " " + s.conversation()).toList().toString()).anyMatch(c -> c.contains("denied by Pia Prod-Owner"));
        List<FakeTeams.Sent> pat = TEAMS.to("pat", "PUT");
        assertThat(pat.get(pat.size() - 1).card()).contains("Denied by").doesNotContain("Action.Execute");
    }

    @Test
    void anIneligibleUserGetsTheCardBackWithAnExplanationAndNothingChanges() {
        String id = justified("bob", "ec2:StopInstances");
        JsonNode before = get(id).body();
        Reply sam = invoke("sam", Actions.APPROVE, Map.of("requestId", id, "reason", "sure"));
        assertThat(sam.card()).contains("sam@example.com is not an approver")
                .as("sam may not see the request: the reason alone, no request details").doesNotContain("bob@example.com")
                .as("no buttons for someone who cannot use them").doesNotContain("Action.Execute");
        Reply self = invoke("bob", Actions.APPROVE, Map.of("requestId", id, "reason", "me"));
        assertThat(self.card()).contains("self-approval is forbidden");
        Reply noReason = invoke("pat", Actions.APPROVE, Map.of("requestId", id));
        assertThat(noReason.card()).contains("Give a reason for your decision").as("pat may still decide").contains("\"verb\":\"clearance.approve\"");
        assertThat(get(id).body()).isEqualTo(before);
        invoke("pat", Actions.APPROVE, Map.of("requestId", id, "reason", "ok"));
        Reply again = invoke("pat", Actions.APPROVE, Map.of("requestId", id, "reason", "ok"));
        assertThat(again.card()).as("a duplicate invoke never votes twice").contains("already approved by pat@example.com");
        assertThat(get(id).body().at("/steps/0/approvals").size()).isEqualTo(1);
    }

    @Test
    void twoStepAndEscalationReachTheNextPeople() {
        String id = justified("bob", "rds:RebootDBInstance");
        assertThat(TEAMS.to("olga", "POST")).isEmpty();
        advance(Duration.ofHours(1));
        assertThat(TEAMS.to("olga", "POST")).hasSize(1);
        assertThat(TEAMS.to("olga", "POST").get(0).card()).contains("Approval needed (escalated)", "pending for 1 h");
        List<FakeTeams.Sent> pat = TEAMS.to("pat", "PUT");
        assertThat(pat.get(pat.size() - 1).card()).contains("Escalation level\",\"value\":\"1\"");
        assertThat(invoke("olga", Actions.APPROVE, Map.of("requestId", id, "reason", "covering")).card()).contains("Approved by");
    }

    @Test
    void aUserWhoBlockedTheBotIsAuditedAndReportedAndOthersProceed() {
        TEAMS.server.stubFor(post(urlPathMatching("/v3/conversations/a(:|%3A)pia/activities")).atPriority(1)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody(dev.clearance.app.support.Fixtures.read("teams/proactive_send_403_message_writes_blocked.json"))));
        String id = justified("bob", "ec2:ModifyVolume");
        assertThat(TEAMS.to("pat", "POST")).hasSize(1);
        assertThat(get(id).body().get("audit").toString()).contains("could not deliver APPROVAL_REQUEST to pia@example.com",
                "MessageWritesBlocked");
        assertThat(TEAMS.to("root", "POST").stream().map(FakeTeams.Sent::card)).anyMatch(c -> c.contains("ALERT") && c.contains("pia@example.com"));
        assertThat(invoke("pat", Actions.APPROVE, Map.of("requestId", id, "reason", "ok")).card()).contains("Approved by");
    }

    @Test
    void connectorThrottlingIsRetriedAfterRetryAfterAndPostsOnce() {
        TEAMS.server.stubFor(post(urlPathMatching("/v3/conversations/a(:|%3A)pia/activities")).atPriority(1)
                .inScenario("throttled").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "20")).willSetStateTo("open"));
        TEAMS.server.stubFor(post(urlPathMatching("/v3/conversations/a(:|%3A)pia/activities")).atPriority(2)
                .inScenario("throttled").whenScenarioStateIs("open")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"id\":\"act-pia-1\"}")));
        String id = justified("bob", "ec2:ModifySnapshotAttribute");
        assertThat(TEAMS.to("pia", "POST")).as("the 429 attempt").hasSize(1);
        advance(Duration.ofSeconds(19));
        assertThat(TEAMS.to("pia", "POST")).as("not before Retry-After").hasSize(1);
        advance(Duration.ofSeconds(1));
        assertThat(TEAMS.to("pia", "POST")).hasSize(2);
        assertThat(TEAMS.to("pia", "POST").get(1).card()).contains(id, "\"verb\":\"clearance.approve\"");
        advance(Duration.ofMinutes(10));
        assertThat(TEAMS.to("pia", "POST")).as("posted once").hasSize(2);
    }

    @Test
    void absurdOrUntilRevokedDurationsOnACardAreAnsweredOnTheCardAndChangeNothing() {
        String huge = "PT9223372036854775807S";
        Reply request = invoke("bob", Actions.SUBMIT_REQUEST, Map.of("resource", "ec2:CreateFleet", "account", "123456789012",
                "duration", "999999d", "justification", "fleet"));
        assertThat(request.card()).contains("at most 366 days");
        assertThat(api.get("/api/v1/requests?requester=bob@example.com&status=PENDING").body().get("items").toString())
                .doesNotContain("ec2:CreateFleet");

        String id = justified("alice", "ec2:CreateLaunchTemplate");
        JsonNode before = get(id).body();
        Reply override = invoke("pat", Actions.APPROVE, Map.of("requestId", id, "reason", "ok", "duration", huge));
        assertThat(override.card()).contains("at most 366 days");
        assertThat(get(id).body()).isEqualTo(before);

        invoke("pat", Actions.APPROVE, Map.of("requestId", id, "reason", "ok", "duration", "1h"));
        settle();
        assertThat(get(id).body().at("/grant/state").asString()).isEqualTo("ACTIVE");
        JsonNode granted = get(id).body();
        for (String bad : java.util.List.of(huge, "until-revoked")) {
            Reply extension = invoke("alice", Actions.EXTEND, Map.of("requestId", id, "duration", bad, "justification", "more"));
            assertThat(extension.card()).as(bad).containsAnyOf("at most 366 days", "cannot be until revoked");
        }
        assertThat(get(id).body()).isEqualTo(granted);
        withdraw(id, "alice@example.com");
    }

    @Test
    void theRequestFormCreatesARequest() {
        Reply bad = invoke("bob", Actions.SUBMIT_REQUEST, Map.of("resource", "s3:DeleteBucketTagging", "account", "123456789012",
                "duration", "1d", "justification", "tags"));
        assertThat(bad.card()).contains("prod-destructive", "at most 8h", "\"verb\":\"clearance.request\"");
        Reply ok = invoke("bob", Actions.SUBMIT_REQUEST, Map.of("resource", "s3:DeleteBucketTagging", "account", "123456789012",
                "duration", "1h", "justification", "tags"));
        assertThat(ok.card()).contains("Submitted, waiting for approvers", "s3:DeleteBucketTagging");
    }

    @Test
    void aScopeSentWithTheFormIsIgnoredTheAccountDecides() {
        // bob approves only the sandbox; a forged (or old) form names it for the production account
        Reply r = invoke("bob", Actions.SUBMIT_REQUEST, Map.of("resource", "logs:GetQueryResults", "account", "123456789012",
                "scope", "org/sandbox", "duration", "1h", "justification", "debugging"));
        assertThat(r.card()).contains("Submitted, waiting for approvers", "logs:GetQueryResults");
        var created = api.get("/api/v1/requests?requester=bob@example.com&status=PENDING&size=100").body().get("items")
                .valueStream().filter(i -> i.get("resource").asString().equals("logs:GetQueryResults")).findFirst().orElseThrow();
        assertThat(created.get("scope").asString()).isEqualTo("org/prod");
        withdraw(created.get("id").asString(), "bob@example.com");
    }
}
