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

/**
 * Expiry notice and extension over HTTP against the real application: Quartz moves the REVOKE trigger, the outbox
 * delivers the notice and the approvals, and access ends once, at the new end.
 */
class ExtensionApiTest extends AppTestBase {

    /** Each test its own resource: they share one application, and an active request blocks a second intake. */
    private String activeGrantForAnHour(String resource) {
        String id = intake("alice@example.com", resource, "123456789012");
        assertThat(justify(id, "alice@example.com", "1h").status()).isEqualTo(200);
        settle();
        assertThat(decide(id, "pat@example.com", "approve").status()).isEqualTo(200);
        settle();
        assertThat(get(id).body().at("/grant/state").asString()).isEqualTo("ACTIVE");
        return id;
    }

    private ApiClient.Response extend(String id, String actor, String duration) {
        return api.post("/api/v1/requests/" + id + "/extend", "{\"actor\":\"" + actor + "\""
                + (duration == null ? "" : ",\"duration\":\"" + duration + "\"")
                + ",\"justification\":\"the migration runs late\"}");
    }

    private Instant end(String id) {
        return Instant.parse(get(id).body().at("/grant/expiresAt").asString());
    }

    @Test
    void anApprovedExtensionMovesTheEndAndAccessEndsOnceAtTheNewEnd() {
        String id = activeGrantForAnHour("ec2:RebootInstances");
        Instant end = end(id);

        advance(Duration.ofMinutes(49));
        assertThat(chat.latest("alice@example.com", NotificationKind.EXPIRY_NOTICE, id)).isEmpty();
        advance(Duration.ofMinutes(1));
        Message notice = chat.latest("alice@example.com", NotificationKind.EXPIRY_NOTICE, id).orElseThrow();
        assertThat(notice.text()).contains("ends at", "Need more time?");

        ApiClient.Response created = extend(id, "alice@example.com", "1h");
        assertThat(created.status()).isEqualTo(201);
        String ext = created.text("id");
        assertThat(created.text("extensionOf")).isEqualTo(id);
        assertThat(created.text("status")).isEqualTo("PENDING");
        assertThat(Instant.parse(created.body().get("pendingDeadline").asString())).isEqualTo(end);
        ApiClient.Response again = extend(id, "alice@example.com", "4h");
        assertThat(again.status()).as("one pending extension per grant").isEqualTo(200);
        assertThat(again.text("id")).isEqualTo(ext);
        settle();
        assertThat(chat.latest("pat@example.com", NotificationKind.APPROVAL_REQUEST, ext).orElseThrow().text())
                .contains("Extension needed", "extension of " + id + ", active until");

        assertThat(decide(ext, "pat@example.com", "approve").text("status")).isEqualTo("APPROVED");
        settle();
        Instant newEnd = end.plus(Duration.ofHours(1));
        assertThat(end(id)).isEqualTo(newEnd);
        assertThat(chat.latest("alice@example.com", NotificationKind.REQUEST_APPROVED, ext).orElseThrow().text())
                .contains("now ends at");
        assertThat(audit(get(id).body())).anyMatch(r -> r.startsWith("extension " + ext + " requested"))
                .anyMatch(r -> r.startsWith("extended by 1h until " + newEnd));

        advance(Duration.ofMinutes(20));
        assertThat(status(id)).as("the old end passed: no revoke, no gap").isEqualTo("APPROVED");
        assertThat(get(id).body().at("/grant/state").asString()).isEqualTo("ACTIVE");

        advance(Duration.ofMinutes(50));
        assertThat(status(id)).isEqualTo("ENDED");
        assertThat(status(ext)).as("an approved extension ends with its grant").isEqualTo("ENDED");
        assertThat(chat.to("alice@example.com", id)).filteredOn(m -> m.kind() == NotificationKind.ACCESS_ENDED).hasSize(1);
        assertThat(chat.latest("alice@example.com", NotificationKind.EXPIRY_NOTICE, id).orElseThrow().text())
                .as("the notice's live copy no longer offers Extend").doesNotContain("Need more time?");
    }

    @Test
    void aDeniedOrUnansweredExtensionEndsAccessOnTime() {
        String id = activeGrantForAnHour("ec2:StopInstances");
        Instant end = end(id);
        String ext = extend(id, "alice@example.com", "4h").text("id");
        settle();
        assertThat(decide(ext, "pia@example.com", "deny").text("status")).isEqualTo("DENIED");
        settle();
        assertThat(chat.latest("alice@example.com", NotificationKind.REQUEST_DENIED, ext).orElseThrow().text())
                .contains("ends as planned");
        String second = extend(id, "alice@example.com", "1h").text("id");
        advance(Duration.between(clock.instant(), end));
        assertThat(status(id)).isEqualTo("ENDED");
        assertThat(status(second)).isIn("EXPIRED", "CANCELLED");
        assertThat(end(id)).isEqualTo(end);
    }

    @Test
    void badExtensionsAreRefusedWithTheFieldAndChangeNothing() {
        String id = activeGrantForAnHour("ec2:StartInstances");
        ApiClient.Response notRequester = extend(id, "pat@example.com", "1h");
        assertThat(notRequester.status()).isEqualTo(403);
        ApiClient.Response noDuration = extend(id, "alice@example.com", null);
        assertThat(noDuration.status()).isEqualTo(400);
        assertThat(noDuration.text("field")).isEqualTo("duration");
        ApiClient.Response tooLong = extend(id, "alice@example.com", "99d");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.text("field")).isEqualTo("duration");
        assertThat(extend("REQ-0000000000", "alice@example.com", "1h").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/requests?requester=alice@example.com&status=PENDING").body().get("total").asInt())
                .isZero();
        withdraw(id, "alice@example.com");
        assertThat(extend(id, "alice@example.com", "1h").status()).as("given back: nothing to extend").isEqualTo(409);
    }

    @Test
    void absurdDurationsAre400NamingDurationOnIntakeDecisionAndExtensionAndChangeNothing() {
        String grant = activeGrantForAnHour("ec2:ModifyInstanceAttribute");
        String pending = intake("zoe@example.com", "ec2:CreateSnapshot", "123456789012");
        assertThat(justify(pending, "zoe@example.com", "1h").status()).isEqualTo(200);
        settle();
        JsonNode pendingBefore = get(pending).body();
        JsonNode grantBefore = get(grant).body();
        for (String huge : List.of("PT9223372036854775807S", "999999d", "P9999999999999D", "367d")) {
            ApiClient.Response intake = api.post("/api/v1/requests", "{\"requester\":\"zoe@example.com\",\"resource\":"
                    + "\"ec2:CreateImage\",\"account\":\"123456789012\",\"duration\":\"" + huge + "\"}");
            assertThat(intake.status()).as("intake " + huge).isEqualTo(400);
            assertThat(intake.text("field")).isEqualTo("duration");
            assertThat(intake.text("detail")).as(huge).containsAnyOf("at most 366 days", "is not a duration");

            ApiClient.Response decision = api.post("/api/v1/requests/" + pending + "/decisions", "{\"approver\":"
                    + "\"pat@example.com\",\"decision\":\"approve\",\"reason\":\"ok\",\"duration\":\"" + huge + "\"}");
            assertThat(decision.status()).as("decision " + huge).isEqualTo(400);
            assertThat(decision.text("field")).isEqualTo("duration");

            ApiClient.Response extension = extend(grant, "alice@example.com", huge);
            assertThat(extension.status()).as("extension " + huge).isEqualTo(400);
            assertThat(extension.text("field")).isEqualTo("duration");
        }
        settle();
        assertThat(get(pending).body()).isEqualTo(pendingBefore);
        assertThat(get(grant).body()).isEqualTo(grantBefore);
        assertThat(api.get("/api/v1/requests?requester=zoe@example.com").body().get("total").asInt()).isEqualTo(1);
        withdraw(pending, "zoe@example.com");
        withdraw(grant, "alice@example.com");
    }

    @Test
    void theRemainingTotalIsInTheRequestAndExtensionsPastItAreRefused() {
        // the default policy: 1 d at a time, 2 d in total; granted for 1 h, so 47 h are left
        String id = activeGrantForAnHour("ec2:CreateVolume");
        JsonNode json = get(id).body();
        assertThat(json.get("maxDuration").asString()).isEqualTo("1d");
        assertThat(json.get("maxTotalDuration").asString()).isEqualTo("2d");
        assertThat(json.get("remainingTotal").asString()).isEqualTo("PT47H");
        String ext = extend(id, "alice@example.com", "1d").text("id");
        settle();
        assertThat(get(ext).body().get("remainingTotal").asString()).as("on the extension: the grant's").isEqualTo("PT47H");
        assertThat(decide(ext, "pat@example.com", "approve").status()).isEqualTo(200);
        settle();
        assertThat(get(id).body().get("remainingTotal").asString()).isEqualTo("PT23H");
        ApiClient.Response past = extend(id, "alice@example.com", "1d");
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.text("field")).isEqualTo("duration");
        assertThat(past.text("detail")).contains("at most 23 hours");
        ApiClient.Response untilRevoked = extend(id, "alice@example.com", "until-revoked");
        assertThat(untilRevoked.status()).isEqualTo(400);
        assertThat(untilRevoked.text("field")).isEqualTo("duration");
        withdraw(id, "alice@example.com");
        assertThat(get(id).body().has("remainingTotal")).as("only while the grant is active").isFalse();
    }

    private static List<String> audit(JsonNode request) {
        List<String> reasons = new ArrayList<>();
        request.get("audit").forEach(a -> reasons.add(a.path("reason").asString()));
        return reasons;
    }
}
