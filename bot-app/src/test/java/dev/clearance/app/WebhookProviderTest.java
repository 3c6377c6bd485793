package dev.clearance.app;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.AppTestBase;
import dev.clearance.core.notify.NotificationKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** The signed webhook provider, against WireMock playing the security team's grant service. */
class WebhookProviderTest extends AppTestBase {
    private static final String SECRET = "webhook-secret-for-tests-0123456789";
    private static final WireMockServer HOOK = new WireMockServer(options().dynamicPort());

    static {
        HOOK.start();
    }

    @DynamicPropertySource
    static void webhook(DynamicPropertyRegistry registry) {
        registry.add("clearance.access-provider.type", () -> "webhook");
        registry.add("clearance.access-provider.webhook.url", () -> HOOK.baseUrl() + "/grants");
        registry.add("clearance.access-provider.webhook.secret", () -> SECRET);
    }

    @AfterAll
    static void stop() {
        HOOK.stop();
    }

    private String approvedRequest(String resource, String duration) {
        String id = intake("alice@example.com", resource, "123456789012");
        justify(id, "alice@example.com", duration);
        decide(id, "pat@example.com", "approve");
        return id;
    }

    private List<LoggedRequest> calls(String id, String action) {
        return HOOK.findAll(postRequestedFor(urlEqualTo("/grants"))
                .withRequestBody(matchingJsonPath("$.requestId", equalTo(id)))
                .withRequestBody(matchingJsonPath("$.action", equalTo(action))));
    }

    @Test
    void grantsAreSignedSoTheReceiverCanVerifyThem() throws Exception {
        HOOK.stubFor(post("/grants").atPriority(10).willReturn(aResponse().withStatus(200)));
        String id = approvedRequest("ec2:CreateSnapshot", "1h");
        settle();
        LoggedRequest call = calls(id, "grant").get(0);
        String timestamp = call.getHeader("X-Clearance-Timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal(("v1:" + timestamp + ":" + call.getBodyAsString())
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(call.getHeader("X-Clearance-Signature")).isEqualTo(expected);
        assertThat(timestamp).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        assertThat(call.getHeader("Idempotency-Key")).isEqualTo(id + ":grant");
        assertThat(call.getBodyAsString()).contains("\"requester\":\"alice@example.com\"", "\"account\":\"123456789012\"",
                "\"resource\":\"ec2:CreateSnapshot\"");
        assertThat(get(id).body().at("/grant/state").asString()).isEqualTo("ACTIVE");
    }

    @Test
    void aFailingGrantIsRetriedWithBackoffAndTheRequestShowsIt() {
        String id = intake("alice@example.com", "ec2:CopySnapshot", "123456789012");
        HOOK.stubFor(post("/grants").atPriority(1).withRequestBody(matchingJsonPath("$.requestId", equalTo(id)))
                .inScenario("grant-" + id).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("upstream down")).willSetStateTo("once"));
        HOOK.stubFor(post("/grants").atPriority(1).withRequestBody(matchingJsonPath("$.requestId", equalTo(id)))
                .inScenario("grant-" + id).whenScenarioStateIs("once")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("healthy"));
        HOOK.stubFor(post("/grants").atPriority(1).withRequestBody(matchingJsonPath("$.requestId", equalTo(id)))
                .inScenario("grant-" + id).whenScenarioStateIs("healthy").willReturn(aResponse().withStatus(204)));
        justify(id, "alice@example.com", "1h");
        decide(id, "pat@example.com", "approve");
        settle();
        JsonNode granting = get(id).body();
        assertThat(granting.at("/grant/state").asString()).as("never shown as granted before the provider confirms")
                .isEqualTo("GRANTING");
        assertThat(granting.get("audit").toString()).contains("grant attempt 1 of 5 failed: grant webhook answered HTTP 500: upstream down");
        advance(Duration.ofSeconds(30));
        assertThat(get(id).body().at("/grant/state").asString()).isEqualTo("GRANTING");
        advance(Duration.ofSeconds(60));
        assertThat(get(id).body().at("/grant/state").asString()).isEqualTo("ACTIVE");
        assertThat(calls(id, "grant")).hasSize(3).allSatisfy(c -> assertThat(c.getHeader("Idempotency-Key")).isEqualTo(id + ":grant"));
    }

    @Test
    void aFailingRevokeIsRetriedUntilItSucceedsAndAdminsAreAlerted() {
        String id = intake("alice@example.com", "ec2:DeleteTags", "123456789012");
        HOOK.stubFor(post("/grants").atPriority(1).withRequestBody(matchingJsonPath("$.requestId", equalTo(id)))
                .withRequestBody(matchingJsonPath("$.action", equalTo("grant"))).willReturn(aResponse().withStatus(200)));
        HOOK.stubFor(post("/grants").atPriority(1).withRequestBody(matchingJsonPath("$.requestId", equalTo(id)))
                .withRequestBody(matchingJsonPath("$.action", equalTo("revoke")))
                .inScenario("revoke-" + id).whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(500)));
        justify(id, "alice@example.com", "1h");
        decide(id, "pat@example.com", "approve");
        settle();
        advance(Duration.ofHours(3));
        JsonNode failing = get(id).body();
        assertThat(failing.get("status").asString()).isEqualTo("APPROVED");
        assertThat(failing.at("/grant/state").asString()).isEqualTo("REVOKING");
        int attempts = calls(id, "revoke").size();
        assertThat(attempts).isGreaterThan(5);
        assertThat(chat.to("root@example.com", id)).extracting(m -> m.kind()).containsExactly(NotificationKind.ADMIN_REVOKE_FAILING);

        HOOK.stubFor(post("/grants").atPriority(1).withRequestBody(matchingJsonPath("$.requestId", equalTo(id)))
                .withRequestBody(matchingJsonPath("$.action", equalTo("revoke")))
                .inScenario("revoke-" + id).whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(200)));
        advance(Duration.ofMinutes(15));
        JsonNode ended = get(id).body();
        assertThat(ended.get("status").asString()).isEqualTo("ENDED");
        assertThat(ended.at("/grant/state").asString()).isEqualTo("REVOKED");
        assertThat(calls(id, "revoke")).hasSize(attempts + 1);
    }

    @Test
    void prometheusShowsProviderFailuresAndRequestsByStatus() {
        ApiClient.Response metrics = api.get("/actuator/prometheus"); // metrics need a token (the bare test token)
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.raw()).contains("clearance_requests{status=\"pending\"}", "clearance_outbox_backlog");
    }
}
