package dev.clearance.app.slack;

import dev.clearance.adapters.slack.SignatureProbe;
import dev.clearance.app.support.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** /access and request signatures, through /slack/events. */
class SlackCommandTest extends SlackTestBase {

    private JsonNode access(String userId, String text) {
        SlackResponse r = send(slashCommand(userId, text));
        assertThat(r.status()).isEqualTo(200);
        JsonNode reply = r.json();
        assertThat(reply.get("response_type").asString()).isEqualTo("ephemeral");
        return reply;
    }

    @Test
    void helpAndUnknownSubcommandsShowTheUsage() {
        assertThat(access("UBOB", "").get("text").asString()).contains("/access request", "/access whoapproves");
        assertThat(access("UBOB", "help").get("text").asString()).contains("/access pending");
        assertThat(access("UBOB", "dance").get("text").asString()).contains("I don't know `dance`", "/access show <id>");
        assertThat(access("UBOB", "<!channel>").toString()).as("what was typed is quoted, never a ping")
                .doesNotContain("<!channel>").contains("&lt;!channel&gt;");
    }

    @Test
    void requestOpensTheFormAndItsSubmissionCreatesARequest() {
        SlackResponse opened = send(slashCommand("UBOB", "request"));
        assertThat(opened.status()).isEqualTo(200);
        assertThat(opened.body()).as("a plain ack: the form is the answer").isEmpty();
        assertThat(SLACK.calls("views.open").get(0).get("view")).contains("clearance.request.modal")
                .as("no scope to choose: it follows from the account").doesNotContain("\"block_id\":\"scope\"");
        SlackResponse bad = send(viewSubmission("UBOB", "clearance.request.modal", "",
                java.util.Map.of("resource", "s3:DeleteBucketPolicy", "account", "123456789012", "justification", "cleanup"),
                java.util.Map.of("duration", "1d")));
        assertThat(bad.json().at("/errors/duration").asString()).contains("prod-destructive", "at most 8h");
        SlackResponse ok = send(viewSubmission("UBOB", "clearance.request.modal", "",
                java.util.Map.of("resource", "s3:DeleteBucketPolicy", "account", "123456789012", "justification", "cleanup"),
                java.util.Map.of("duration", "1h")));
        assertThat(ok.body()).isEmpty();
        JsonNode list = api.get("/api/v1/requests?requester=bob@example.com&status=PENDING&size=100").body();
        JsonNode created = list.get("items").valueStream()
                .filter(i -> i.get("resource").asString().equals("s3:DeleteBucketPolicy")).findFirst().orElseThrow();
        assertThat(created.get("source").asString()).isEqualTo("slack");
        assertThat(created.get("policy").asString()).isEqualTo("prod-destructive");
    }

    @Test
    void aScopeSentWithTheFormIsIgnoredTheAccountDecides() {
        // a form drawn before the fix (or a forged submission) still carries bob's sandbox scope for the production account
        SlackResponse r = send(viewSubmission("UBOB", "clearance.request.modal", "",
                java.util.Map.of("resource", "logs:StartLiveTail", "account", "123456789012", "justification", "debugging"),
                java.util.Map.of("duration", "1h", "scope", "org/sandbox")));
        assertThat(r.body()).isEmpty();
        JsonNode created = api.get("/api/v1/requests?requester=bob@example.com&status=PENDING&size=100").body().get("items")
                .valueStream().filter(i -> i.get("resource").asString().equals("logs:StartLiveTail")).findFirst().orElseThrow();
        assertThat(created.get("scope").asString()).isEqualTo("org/prod");
        assertThat(decide(created.get("id").asString(), "bob@example.com", "approve").status()).isEqualTo(403);
        withdraw(created.get("id").asString(), "bob@example.com");
    }

    @Test
    void theRequestFormResolvesThePolicyBeforeSubmit() {
        SLACK.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/api/views.update")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"ok\":true}")));
        send(viewAction("UBOB", dev.clearance.cards.slack.SlackIds.REQUEST_ACCOUNT_ACTION, "V123",
                java.util.Map.of("resource", "s3:DeleteBucket", "account", "123456789012")));
        var update = SLACK.calls("views.update").get(0);
        assertThat(update.get("view_id")).isEqualTo("V123");
        assertThat(update.get("hash")).isEqualTo("1700000000.abcdef");
        assertThat(update.get("view")).contains("Policy prod-destructive* in scope `org/prod`", "at most 8 hours", "sam@example.com",
                "\"initial_value\":\"s3:DeleteBucket\"", "\"value\":\"8h\"").doesNotContain("\"value\":\"1d\"");
        send(viewAction("UBOB", dev.clearance.cards.slack.SlackIds.REQUEST_ACCOUNT_ACTION, "V123",
                java.util.Map.of("resource", "s3:DeleteBucket", "account", " ")));
        assertThat(SLACK.calls("views.update").get(1).get("view")).contains("Press Enter").doesNotContain("Policy prod-destructive");
    }

    @Test
    void pendingShowsWhatEachPersonMayActOn() {
        String id = intake("bob@example.com", "ec2:DeleteVolume", "210987654321");
        justify(id, "bob@example.com", "1h");
        JsonNode olga = access("UOLGA", "pending");
        assertThat(olga.toString()).contains(id, "clearance.approve");
        JsonNode bob = access("UBOB", "pending");
        assertThat(bob.toString()).as("the requester sees their own, without buttons").contains(id).doesNotContain("clearance.approve");
        JsonNode sam = access("USAM", "pending");
        assertThat(sam.toString()).doesNotContain(id);
        assertThat(access("UROOT", "pending").toString()).as("admins see everything").contains(id);
    }

    @Test
    void showCancelRevokeAndWhoApproves() {
        String id = intake("bob@example.com", "ec2:CreateImage", "210987654321");
        assertThat(access("UBOB", "show " + id).toString()).contains(id, "Audit trail", "requested; waiting for justification");
        assertThat(access("USAM", "show " + id).toString()).contains("Only the requester and the approvers or admins");
        assertThat(access("UBOB", "show REQ-0000000000").get("text").asString()).contains("no request REQ-0000000000");

        assertThat(access("UOLGA", "cancel " + id).get("text").asString()).contains("only the requester");
        assertThat(access("UBOB", "cancel " + id).get("text").asString()).contains("withdrawn");
        assertThat(status(id)).isEqualTo("CANCELLED");

        String granted = intake("bob@example.com", "ec2:CopyImage", "210987654321");
        justify(granted, "bob@example.com", "1d");
        decide(granted, "olga@example.com", "approve");
        settle();
        assertThat(access("UOLGA", "revoke " + granted + " done").get("text").asString()).contains("not an administrator");
        assertThat(access("UROOT", "revoke " + granted).get("text").asString()).contains("reason is required");
        assertThat(access("UROOT", "revoke " + granted + " incident closed").get("text").asString()).contains("Revoking");
        settle();
        assertThat(status(granted)).isEqualTo("ENDED");

        JsonNode who = access("UBOB", "whoapproves s3:DeleteBucket 123456789012");
        assertThat(who.get("text").asString()).contains("prod-destructive", "at most 8 hours", "Security review: 2 of",
                "sam@example.com");
        assertThat(access("UBOB", "whoapproves s3:DeleteBucket").get("text").asString()).contains("usage: /access whoapproves");
    }

    @Test
    void theFixtureSlashCommandFromAnotherWorkspaceIsRefused() {
        // fixtures/slack/slash_command.form.txt as captured: from workspace T01ND2P8N91, not the installed T0ACME
        String body = Fixtures.read("slack/slash_command.form.txt").replace("command=%2Ftestcommand", "command=%2Faccess")
                .replace("text=&", "text=pending&");
        SlackResponse r = send(body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("text").asString()).contains("Clearance only acts for members of Acme");
    }

    @Test
    void aMemberWhomSlackCannotFindIsToldItHasNoIdentity() {
        SLACK.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/api/users.info").atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"ok\":false,\"error\":\"user_not_found\"}")));
        SlackResponse r = send(slashCommand("UNOBODY", "pending"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("text").asString()).contains("could not match your Slack account to an email");
    }

    @Test
    void slacksDocumentedSigningExampleVerifiesAtItsTime() {
        JsonNode example = JSON.readTree(Fixtures.read("slack/request_signing_example.json"));
        var filter = new dev.clearance.adapters.slack.SlackSignatureFilter(example.get("signing_secret").asString(),
                java.time.Clock.fixed(java.time.Instant.ofEpochSecond(1531420618), java.time.ZoneOffset.UTC));
        String ts = example.at("/headers/X-Slack-Request-Timestamp").asString();
        String sig = example.at("/headers/X-Slack-Signature").asString();
        String body = Fixtures.read("slack/request_signing_example_body.txt");
        assertThat(SignatureProbe.valid(filter, ts, body, sig)).isTrue();
        assertThat(SignatureProbe.valid(filter, ts, body + "&x=1", sig)).isFalse();
        var sixMinutesLater = new dev.clearance.adapters.slack.SlackSignatureFilter(example.get("signing_secret").asString(),
                java.time.Clock.fixed(java.time.Instant.ofEpochSecond(1531420618 + 360), java.time.ZoneOffset.UTC));
        assertThat(SignatureProbe.valid(sixMinutesLater, ts, body, sig)).isFalse();
    }

    @Test
    void forgedOrStaleRequestsGet401AndChangeNothing() {
        String id = intake("bob@example.com", "ec2:DeleteSnapshot", "123456789012");
        settle();
        String click = blockAction("UBOB", dev.clearance.cards.Actions.DECLINE_JUSTIFICATION, id);
        assertThat(send(click, clock.instant().getEpochSecond(), "v0=" + "0".repeat(64)).status()).isEqualTo(401);
        assertThat(send(click, clock.instant().minus(Duration.ofMinutes(6)).getEpochSecond(), null).status()).isEqualTo(401);
        assertThat(send(click, clock.instant().getEpochSecond(), sign("another-secret", Long.toString(clock.instant().getEpochSecond()), click)).status())
                .isEqualTo(401);
        assertThat(status(id)).isEqualTo("REQUESTED");
        assertThat(send(click).status()).isEqualTo(200);
        assertThat(status(id)).isEqualTo("ABANDONED");
    }
}
