package dev.clearance.app;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.AppTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bad call gets a 4xx problem detail naming what to fix, and changes nothing. */
class BadInputApiTest extends AppTestBase {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing requester   | {\"resource\":\"s3:GetObject\",\"account\":\"123456789012\"}                                  | requester",
            "bad email           | {\"requester\":\"alice\",\"resource\":\"s3:GetObject\",\"account\":\"123456789012\"}           | requester",
            "blank resource      | {\"requester\":\"zoe@example.com\",\"resource\":\" \",\"account\":\"123456789012\"}            | resource",
            "missing account     | {\"requester\":\"zoe@example.com\",\"resource\":\"s3:GetObject\"}                            | account",
            "unknown scope       | {\"requester\":\"zoe@example.com\",\"resource\":\"s3:GetObject\",\"account\":\"1\",\"scope\":\"org/nowhere\"} | scope",
            "bad duration        | {\"requester\":\"zoe@example.com\",\"resource\":\"s3:GetObject\",\"account\":\"1\",\"duration\":\"forever\"} | duration",
            "duration not offered| {\"requester\":\"zoe@example.com\",\"resource\":\"s3:GetObject\",\"account\":\"1\",\"duration\":\"2h\"}      | duration",
            "above the policy max| {\"requester\":\"zoe@example.com\",\"resource\":\"s3:DeleteBucket\",\"account\":\"123456789012\",\"duration\":\"1d\"} | duration",
    })
    void badIntakeIs400WithTheFieldAndCreatesNothing(String name, String body, String field) {
        long before = total();
        ApiClient.Response r = api.post("/api/v1/requests", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("field")).isEqualTo(field);
        assertThat(r.text("detail")).isNotBlank();
        assertThat(total()).isEqualTo(before);
    }

    @Test
    void malformedJsonIs400() {
        long before = total();
        ApiClient.Response r = api.post("/api/v1/requests", "{\"requester\": ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(api.post("/api/v1/requests", "").status()).isEqualTo(400);
        assertThat(total()).isEqualTo(before);
    }

    @Test
    void missingOrWrongTokenIs401() {
        long before = total();
        HttpRequest.Builder noToken = HttpRequest.newBuilder(api.uri("/api/v1/requests")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"requester\":\"zoe@example.com\",\"resource\":\"x\",\"account\":\"1\"}"));
        assertThat(api.unauthenticated(noToken).status()).isEqualTo(401);
        HttpRequest.Builder wrong = HttpRequest.newBuilder(api.uri("/api/v1/requests")).header("Authorization", "Bearer nope")
                .GET();
        ApiClient.Response r = api.unauthenticated(wrong);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.text("detail")).contains("CLEARANCE_API_TOKENS");
        assertThat(total()).isEqualTo(before);
        // health stays open for probes
        assertThat(api.unauthenticated(HttpRequest.newBuilder(api.uri("/actuator/health")).GET()).status()).isEqualTo(200);
    }

    @Test
    void unknownIdsAre404() {
        assertThat(api.get("/api/v1/requests/REQ-0000000000").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/requests/not-an-id").status()).isEqualTo(404);
        assertThat(decide("REQ-0000000000", "pat@example.com", "approve").status()).isEqualTo(404);
    }

    @Test
    void forbiddenDecisionsAre403AndChangeNothing() {
        String id = intake("pat@example.com", "ec2:DeleteVolume", "123456789012");
        justify(id, "pat@example.com", null);
        JsonNode before = get(id).body();
        ApiClient.Response self = decide(id, "pat@example.com", "approve");
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.text("detail")).contains("self-approval is forbidden");
        ApiClient.Response stranger = decide(id, "mallory@example.com", "approve");
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.text("detail")).contains("not an approver");
        ApiClient.Response notRequester = justify(id, "mallory@example.com", null);
        assertThat(notRequester.status()).isEqualTo(403);
        assertThat(get(id).body()).isEqualTo(before);
    }

    @Test
    void decisionsWithBadFieldsAre400AndChangeNothing() {
        String id = intake("zoe@example.com", "ec2:DeleteSnapshot", "123456789012");
        justify(id, "zoe@example.com", null);
        JsonNode before = get(id).body();
        ApiClient.Response noReason = api.post("/api/v1/requests/" + id + "/decisions",
                "{\"approver\":\"pat@example.com\",\"decision\":\"approve\"}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.text("field")).isEqualTo("reason");
        ApiClient.Response badVerdict = api.post("/api/v1/requests/" + id + "/decisions",
                "{\"approver\":\"pat@example.com\",\"decision\":\"yes\",\"reason\":\"ok\"}");
        assertThat(badVerdict.text("field")).isEqualTo("decision");
        ApiClient.Response overMax = api.post("/api/v1/requests/" + id + "/decisions",
                "{\"approver\":\"pat@example.com\",\"decision\":\"approve\",\"reason\":\"ok\",\"duration\":\"30d\"}");
        assertThat(overMax.status()).isEqualTo(400);
        assertThat(overMax.text("field")).isEqualTo("duration");
        ApiClient.Response longJustification = api.post("/api/v1/requests/" + id + "/justification",
                "{\"actor\":\"zoe@example.com\",\"justification\":\"" + "x".repeat(3001) + "\"}");
        assertThat(longJustification.status()).isEqualTo(400);
        assertThat(longJustification.text("field")).isEqualTo("justification");
        assertThat(get(id).body()).isEqualTo(before);
    }

    @Test
    void illegalTransitionsAre409AndChangeNothing() {
        String id = intake("zoe@example.com", "ec2:DeleteKeyPair", "123456789012");
        ApiClient.Response early = decide(id, "pat@example.com", "approve");
        assertThat(early.status()).as("cannot decide before justification").isEqualTo(409);
        justify(id, "zoe@example.com", null);
        assertThat(justify(id, "zoe@example.com", null).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/requests/" + id + "/revoke", "{\"actor\":\"root@example.com\",\"reason\":\"x\"}").status())
                .as("only approved requests are revoked").isEqualTo(409);
        assertThat(api.post("/api/v1/requests/" + id + "/abandon", "{\"actor\":\"zoe@example.com\"}").status()).isEqualTo(409);
        assertThat(status(id)).isEqualTo("PENDING");
    }

    @Test
    void badListingParametersAre400() {
        assertThat(api.get("/api/v1/requests?status=WAITING").text("field")).isEqualTo("status");
        assertThat(api.get("/api/v1/requests?size=1000").text("field")).isEqualTo("size");
        assertThat(api.get("/api/v1/requests?page=abc").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/policies/resolve?requester=alice@example.com").status()).isEqualTo(400);
    }

    private long total() {
        return api.get("/api/v1/requests?size=1").body().get("total").asLong();
    }
}
