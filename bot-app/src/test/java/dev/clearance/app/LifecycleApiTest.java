package dev.clearance.app;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.AppTestBase;
import dev.clearance.app.support.RecordingChatPlatform.Message;
import dev.clearance.core.notify.NotificationKind;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lifecycle driven over HTTP against the real application, with the example policy file. */
class LifecycleApiTest extends AppTestBase {

    @Test
    void anIntakeAnswersExactlyWhatWasStored() {
        clock.set(clock.instant().plusMillis(123)); // the application's clock ticks in milliseconds (ClearanceWiring)
        ApiClient.Response created = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\",\"resource\":"
                + "\"ec2:RebootInstances\",\"account\":\"123456789012\",\"justification\":\"INC-1: stuck\",\"duration\":\"1h\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.text("id");
        assertThat(created.body()).as("the answer is the stored request, read back").isEqualTo(get(id).body());
        assertThat(created.raw()).contains(".123Z");
        withdraw(id, "alice@example.com");
    }

    @Test
    void twoStepTwoOfThreeApprovalGrantsAndRevokesOnTime() {
        String id = intake("alice@example.com", "s3:DeleteBucket", "123456789012");
        settle();
        assertThat(chat.latest("alice@example.com", NotificationKind.JUSTIFICATION_PROMPT, id)).isPresent();

        assertThat(justify(id, "alice@example.com", "4h").status()).isEqualTo(200);
        settle();
        for (String security : List.of("sam@example.com", "sue@example.com", "sid@example.com")) {
            assertThat(chat.to(security, id)).extracting(Message::kind).containsExactly(NotificationKind.APPROVAL_REQUEST);
        }
        assertThat(chat.to("pat@example.com", id)).as("the owner step waits for security").isEmpty();

        assertThat(decide(id, "sam@example.com", "approve").body().at("/steps/0/approvals").size()).isEqualTo(1);
        assertThat(decide(id, "sam@example.com", "approve").status()).as("same approver twice").isEqualTo(409);
        ApiClient.Response second = decide(id, "sue@example.com", "approve");
        assertThat(second.body().get("currentStep").asInt()).isEqualTo(2);
        settle();
        assertThat(chat.to("pat@example.com", id)).extracting(Message::kind).containsExactly(NotificationKind.APPROVAL_REQUEST);
        // every live copy shows the progress
        assertThat(chat.latest("sid@example.com", NotificationKind.APPROVAL_REQUEST, id).orElseThrow().text())
                .contains("step 2 of 2: Account owner, 0/1 approvals");

        ApiClient.Response approved = decide(id, "pia@example.com", "approve");
        assertThat(approved.text("status")).isEqualTo("APPROVED");
        settle();
        JsonNode granted = get(id).body();
        assertThat(granted.at("/grant/state").asString()).isEqualTo("ACTIVE");
        Instant expiresAt = Instant.parse(granted.at("/grant/expiresAt").asString());
        assertThat(expiresAt).isEqualTo(clock.instant().plus(Duration.ofHours(4)));
        assertThat(chat.to("alice@example.com", id)).extracting(Message::kind)
                .contains(NotificationKind.REQUEST_APPROVED, NotificationKind.ACCESS_GRANTED);
        assertThat(chat.latest("sam@example.com", NotificationKind.APPROVAL_REQUEST, id).orElseThrow().text())
                .as("decided copies say who decided").contains("approved by Pia Prod-Owner");

        advance(Duration.ofHours(4).minusMinutes(1));
        assertThat(status(id)).isEqualTo("APPROVED");
        advance(Duration.ofMinutes(1));
        JsonNode ended = get(id).body();
        assertThat(ended.get("status").asString()).isEqualTo("ENDED");
        assertThat(ended.at("/grant/state").asString()).isEqualTo("REVOKED");
        assertThat(chat.latest("alice@example.com", NotificationKind.ACCESS_ENDED, id).orElseThrow().text())
                .contains("request access again");
        assertThat(transitions(ended)).containsExactly("null->REQUESTED", "REQUESTED->PENDING", "PENDING->APPROVED", "APPROVED->ENDED");
        // every event says how it arrived: the API (with the token that authenticated it) or Clearance's own timers
        for (JsonNode e : ended.get("audit")) {
            String channel = e.path("channel").asString();
            assertThat(channel).as(e.toString()).isIn("api", "timer");
            if (channel.equals("api")) {
                assertThat(e.path("principal").asString()).as(e.toString()).isNotBlank();
            }
        }
        assertThat(ended.get("audit").get(0).path("channel").asString()).isEqualTo("api");
    }

    @Test
    void aDenyEndsTheRequestAndUpdatesEveryCopy() {
        String id = intake("alice@example.com", "ec2:TerminateInstances", "123456789012");
        justify(id, "alice@example.com", null);
        settle();
        ApiClient.Response denied = decide(id, "pat@example.com", "deny");
        assertThat(denied.text("status")).isEqualTo("DENIED");
        settle();
        assertThat(chat.latest("alice@example.com", NotificationKind.REQUEST_DENIED, id).orElseThrow().text())
                .contains("denied by Pat Prod-Owner", "checked with the on-call");
        Message patCopy = chat.latest("pia@example.com", NotificationKind.APPROVAL_REQUEST, id).orElseThrow();
        assertThat(patCopy.updates()).isPositive();
        assertThat(patCopy.text()).contains("denied by Pat Prod-Owner");
        ApiClient.Response late = decide(id, "pia@example.com", "approve");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.text("detail")).contains("already denied by pat@example.com");
    }

    @Test
    void escalationAfterAnHourReachesTheParentScope() {
        String id = intake("alice@example.com", "rds:DeleteDBInstance", "123456789012");
        justify(id, "alice@example.com", null);
        settle();
        assertThat(chat.to("olga@example.com", id)).isEmpty();
        advance(Duration.ofMinutes(59));
        assertThat(chat.to("olga@example.com", id)).isEmpty();
        advance(Duration.ofMinutes(1));
        assertThat(chat.to("olga@example.com", id)).extracting(Message::kind).containsExactly(NotificationKind.APPROVAL_REQUEST);
        assertThat(chat.to("olga@example.com", id).get(0).text()).contains("Escalated (level 1)", "pending for 1 h");
        assertThat(get(id).body().get("escalationLevel").asInt()).isEqualTo(1);
        advance(Duration.ofHours(1));
        assertThat(chat.to("root@example.com", id)).as("past the root: the admins").hasSize(1);
        assertThat(decide(id, "olga@example.com", "approve").text("status")).isEqualTo("APPROVED");
    }

    @Test
    void pendingRequestsExpireAfter24Hours() {
        String id = intake("alice@example.com", "iam:CreateAccessKey", "123456789012");
        justify(id, "alice@example.com", null);
        advance(Duration.ofHours(23));
        assertThat(status(id)).isEqualTo("PENDING");
        advance(Duration.ofHours(1));
        assertThat(status(id)).isEqualTo("EXPIRED");
        assertThat(chat.latest("alice@example.com", NotificationKind.REQUEST_EXPIRED, id)).isPresent();
        assertThat(decide(id, "pat@example.com", "approve").status()).isEqualTo(409);
    }

    @Test
    void noAnswerAbandonsAndSilenceAbandonsExpired() {
        String first = intake("alice@example.com", "kms:ScheduleKeyDeletion", "123456789012");
        ApiClient.Response no = api.post("/api/v1/requests/" + first + "/abandon", "{\"actor\":\"alice@example.com\"}");
        assertThat(no.text("status")).isEqualTo("ABANDONED");

        String second = intake("alice@example.com", "kms:ScheduleKeyDeletion", "123456789012");
        assertThat(second).as("a new request after ABANDONED").isNotEqualTo(first);
        settle();
        advance(Duration.ofHours(24));
        assertThat(status(second)).isEqualTo("ABANDONED_EXPIRED");
        assertThat(chat.latest("alice@example.com", NotificationKind.REQUEST_ABANDONED_EXPIRED, second)).isPresent();
        assertThat(chat.latest("alice@example.com", NotificationKind.JUSTIFICATION_PROMPT, second).orElseThrow().text())
                .as("the prompt was updated in place").contains("closed, no justification in time");
    }

    @Test
    void intakeIsDedupedWhileActiveAndHonoursIdempotencyKeys() {
        String body = "{\"requester\":\"bob@example.com\",\"resource\":\"ec2:StopInstances\",\"account\":\"210987654321\"}";
        ApiClient.Response first = api.post("/api/v1/requests", body);
        assertThat(first.status()).isEqualTo(201);
        settle();
        int messages = chat.to("bob@example.com").size();
        ApiClient.Response again = api.post("/api/v1/requests", body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text("id")).isEqualTo(first.text("id"));
        settle();
        assertThat(chat.to("bob@example.com")).as("no new messages").hasSize(messages);

        String other = "{\"requester\":\"bob@example.com\",\"resource\":\"ec2:RebootInstances\",\"account\":\"210987654321\"}";
        ApiClient.Response keyed = api.post("/api/v1/requests", other, "Idempotency-Key", "k-123");
        ApiClient.Response replay = api.post("/api/v1/requests", other, "Idempotency-Key", "k-123");
        assertThat(keyed.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.text("id")).isEqualTo(keyed.text("id"));

        // after a terminal status, a new request
        api.post("/api/v1/requests/" + first.text("id") + "/cancel", "{\"actor\":\"bob@example.com\"}");
        ApiClient.Response fresh = api.post("/api/v1/requests", body);
        assertThat(fresh.status()).isEqualTo(201);
        assertThat(fresh.text("id")).isNotEqualTo(first.text("id"));
    }

    @Test
    void selfApprovalAllowedGoesStraightToPendingAndOnlyAsksForApproval() {
        ApiClient.Response r = api.post("/api/v1/requests",
                "{\"requester\":\"pat@example.com\",\"resource\":\"logs:GetLogEvents\",\"account\":\"123456789012\",\"duration\":\"1h\"}");
        String id = r.text("id");
        assertThat(r.text("status")).isEqualTo("PENDING");
        settle();
        assertThat(chat.to("pat@example.com", id)).extracting(Message::kind).containsExactly(NotificationKind.APPROVAL_REQUEST);
        assertThat(decide(id, "pat@example.com", "approve").text("status")).isEqualTo("APPROVED");
    }

    @Test
    void adminsRevokeEarlyAndListingsFilter() {
        String id = intake("carol@example.com", "ec2:ModifyInstanceAttribute", "210987654321");
        justify(id, "carol@example.com", "1d");
        decide(id, "olga@example.com", "approve");
        settle();
        assertThat(api.post("/api/v1/requests/" + id + "/revoke", "{\"actor\":\"olga@example.com\",\"reason\":\"done\"}").status())
                .as("approvers are not admins").isEqualTo(403);
        ApiClient.Response revoked = api.post("/api/v1/requests/" + id + "/revoke", "{\"actor\":\"root@example.com\",\"reason\":\"incident closed\"}");
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().at("/grant/state").asString()).isEqualTo("REVOKING");
        settle();
        assertThat(status(id)).isEqualTo("ENDED");
        assertThat(chat.latest("carol@example.com", NotificationKind.ACCESS_ENDED, id).orElseThrow().text()).contains("incident closed");

        ApiClient.Response list = api.get("/api/v1/requests?status=ENDED&requester=carol@example.com&size=5");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().get("items").size()).isEqualTo(1);
        assertThat(list.body().at("/items/0/id").asString()).isEqualTo(id);
        assertThat(api.get("/api/v1/requests?scope=org/prod&requester=carol@example.com").body().get("total").asInt()).isZero();
    }

    @Test
    void policyDryRunShowsWhoWouldApprove() {
        ApiClient.Response r = api.get("/api/v1/policies/resolve?requester=alice@example.com&resource=s3:DeleteBucket&account=123456789012");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("policy")).isEqualTo("prod-destructive");
        assertThat(r.text("maxDuration")).isEqualTo("8h");
        assertThat(r.text("maxTotalDuration")).as("stated in the policy file").isEqualTo("16h");
        assertThat(r.body().get("justificationRequired").asBoolean()).isTrue();
        assertThat(r.body().at("/steps/0/required").asInt()).isEqualTo(2);
        List<String> approvers = new ArrayList<>();
        r.body().at("/steps/0/approvers").forEach(n -> approvers.add(n.asString()));
        assertThat(approvers).contains("sam@example.com", "sue@example.com", "sid@example.com");
        ApiClient.Response self = api.get("/api/v1/policies/resolve?requester=pat@example.com&resource=logs:Tail&account=123456789012");
        assertThat(self.body().get("justificationRequired").asBoolean()).isFalse();
    }

    @Test
    void disabledServiceOnlyNotifies() {
        ApiClient.Response r = api.post("/api/v1/notifications/disabled-service",
                "{\"user\":\"dan@example.com\",\"service\":\"sagemaker\",\"account\":\"123456789012\"}");
        assertThat(r.status()).isEqualTo(202);
        settle();
        assertThat(chat.to("dan@example.com")).extracting(Message::kind).containsExactly(NotificationKind.SERVICE_DISABLED);
        assertThat(chat.to("dan@example.com").get(0).text()).contains("sagemaker", "disabled");
        assertThat(api.get("/api/v1/requests?requester=dan@example.com").body().get("total").asInt()).isZero();
    }

    @Test
    void theOpenApiDocumentIsOffUnlessAskedFor() {
        assertThat(api.get("/v3/api-docs").status()).isEqualTo(404);
    }

    @Test
    void prometheusReportsDecisionLatencyTimerLagAndBacklog() {
        String id = intake("ivy@example.com", "ec2:DescribeInstances", "123456789012");
        justify(id, "ivy@example.com", "1h");
        advance(Duration.ofMinutes(30));
        decide(id, "pat@example.com", "approve");
        advance(Duration.ofHours(1));
        String metrics = api.get("/actuator/prometheus").raw(); // the test token is bare: it carries metrics
        assertThat(metrics).contains("clearance_decision_latency_seconds_count{outcome=\"approved\"}",
                "clearance_timer_lag_seconds_count{kind=\"revoke\"}", "clearance_timer_lag_seconds_count{kind=\"grant\"}",
                "clearance_outbox_backlog", "clearance_requests{status=\"ended\"}");
    }

    static List<String> transitions(JsonNode request) {
        List<String> t = new ArrayList<>();
        for (JsonNode e : request.get("audit")) {
            String from = e.has("from") ? e.get("from").asString() : "null";
            if (!from.equals(e.get("to").asString())) {
                t.add(from + "->" + e.get("to").asString());
            }
        }
        return t;
    }
}
