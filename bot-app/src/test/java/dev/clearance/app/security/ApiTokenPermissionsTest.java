package dev.clearance.app.security;

import dev.clearance.app.ClearanceApplication;
import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.StoreSnapshot;
import dev.clearance.app.support.TimedAppTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpRequest;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Named, scoped API tokens: each call needs its permission; a token without it gets a 403 naming the permission and
 * changes nothing. The bare test token (every permission) sets the scene.
 */
@TestPropertySource(properties = "clearance.api.tokens=" + ApiClient.TOKEN
        + ",detector:intake:" + ApiTokenPermissionsTest.DETECTOR + ",reader:read:" + ApiTokenPermissionsTest.READER
        + ",approver:read+decide:" + ApiTokenPermissionsTest.APPROVER + ",secadmin:admin:" + ApiTokenPermissionsTest.ADMIN
        + ",scraper:metrics:" + ApiTokenPermissionsTest.SCRAPER)
class ApiTokenPermissionsTest extends TimedAppTest {
    static final String DETECTOR = "detector-secret-0123456789";
    static final String READER = "reader-secret-0123456789";
    static final String APPROVER = "approver-secret-0123456789";
    static final String ADMIN = "secadmin-secret-0123456789";
    static final String SCRAPER = "scraper-secret-0123456789";
    private static final String INTAKE_BODY = "{\"requester\":\"zoe@example.com\",\"resource\":\"ec2:DescribeTags\",\"account\":\"123456789012\"}";

    @Autowired
    JdbcClient jdbc;

    private ApiClient.Response call(String token, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return api.unauthenticated(b);
    }

    private void assertRefused(ApiClient.Response r, String permission) {
        assertThat(r.status()).as(r.raw()).isEqualTo(403);
        assertThat(r.text("permission")).isEqualTo(permission);
        assertThat(r.text("detail")).contains("'" + permission + "'");
    }

    @Test
    void aDetectorsTokenFilesRequestsButCannotReadApproveOrRevoke() {
        ApiClient.Response created = call(DETECTOR, "POST", "/api/v1/requests", INTAKE_BODY);
        assertThat(created.status()).isEqualTo(201);
        String id = created.text("id");
        justify(id, "zoe@example.com", null);
        String before = StoreSnapshot.of(jdbc);
        assertRefused(call(DETECTOR, "GET", "/api/v1/requests/" + id, null), "read");
        assertRefused(call(DETECTOR, "POST", "/api/v1/requests/" + id + "/decisions",
                "{\"approver\":\"pat@example.com\",\"decision\":\"approve\",\"reason\":\"ok\"}"), "decide");
        assertRefused(call(DETECTOR, "POST", "/api/v1/requests/" + id + "/cancel", "{\"actor\":\"zoe@example.com\"}"), "decide");
        assertRefused(call(DETECTOR, "POST", "/api/v1/requests/" + id + "/revoke", "{\"actor\":\"root@example.com\",\"reason\":\"x\"}"), "admin");
        assertRefused(call(DETECTOR, "GET", "/actuator/prometheus", null), "metrics");
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
        withdraw(id, "zoe@example.com");
    }

    @Test
    void eachCallNeedsItsOwnPermission() {
        String id = intake("zoe@example.com", "ec2:DescribeImages", "123456789012");
        String before = StoreSnapshot.of(jdbc);
        assertThat(call(READER, "GET", "/api/v1/requests/" + id, null).status()).isEqualTo(200);
        assertThat(call(READER, "GET", "/api/v1/policies/resolve?requester=zoe@example.com&resource=s3:GetObject&account=123456789012",
                null).status()).isEqualTo(200);
        assertRefused(call(READER, "POST", "/api/v1/requests", INTAKE_BODY), "intake");
        assertRefused(call(READER, "POST", "/api/v1/notifications/disabled-service", "{}"), "intake");
        assertRefused(call(READER, "POST", "/api/v1/requests/" + id + "/justification",
                "{\"actor\":\"zoe@example.com\",\"justification\":\"INC-1: needed\"}"), "decide");
        assertRefused(call(APPROVER, "POST", "/api/v1/requests/" + id + "/revoke", "{\"actor\":\"root@example.com\",\"reason\":\"x\"}"), "admin");
        assertRefused(call(ADMIN, "POST", "/api/v1/requests/" + id + "/abandon", "{\"actor\":\"zoe@example.com\"}"), "decide");
        assertRefused(call(SCRAPER, "GET", "/api/v1/requests", null), "read");
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
        // the approver's token does what it is for
        assertThat(call(APPROVER, "POST", "/api/v1/requests/" + id + "/justification",
                "{\"actor\":\"zoe@example.com\",\"justification\":\"INC-1: needed\"}").status()).isEqualTo(200);
        assertThat(status(id)).isEqualTo("PENDING");
        withdraw(id, "zoe@example.com");
    }

    @Test
    void onlyTheHealthProbesArePublic() {
        assertThat(call(null, "GET", "/actuator/health", null).status()).isEqualTo(200);
        assertThat(call(null, "GET", "/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(call(null, "GET", "/actuator/health/readiness", null).status()).isEqualTo(200);
        ApiClient.Response anonymous = call(null, "GET", "/actuator/prometheus", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.raw()).doesNotContain("clearance_");
        assertThat(call("wrong-token-0123456789", "GET", "/actuator/prometheus", null).status()).isEqualTo(401);
        assertThat(call(null, "GET", "/actuator/info", null).status()).isEqualTo(401);
        assertThat(call(null, "GET", "/actuator", null).status()).isEqualTo(401);
        assertThat(call(SCRAPER, "GET", "/actuator/prometheus", null).raw()).contains("clearance_outbox_backlog");
        assertThat(call(READER, "GET", "/actuator/info", null).status()).isEqualTo(200);
    }

    @Test
    void aCallNoRuleNamesIsRefusedWhateverTheToken() {
        assertThat(call(ApiClient.TOKEN, "DELETE", "/api/v1/requests", null).status()).isEqualTo(403);
        assertThat(call(ApiClient.TOKEN, "PUT", "/api/v1/requests/REQ-0000000000/decisions", "{}").status()).isEqualTo(403);
        assertThat(call(null, "DELETE", "/api/v1/requests", null).status()).isEqualTo(401);
    }

    @Test
    void twoAuthorizationHeadersAreRefused() {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri("/api/v1/requests")).header("Authorization", "Bearer " + READER)
                .header("Authorization", "Bearer " + DETECTOR).GET();
        assertThat(api.unauthenticated(b).status()).isEqualTo(401);
    }

    @Test
    void aBadTokenEntryStopsStartupNamingTheSetting() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(ClearanceApplication.class).run("--server.port=0",
                "--clearance.config=../config/clearance.example.yml",
                "--clearance.data-dir=./target/test-data/tokens-" + UUID.randomUUID(), "--clearance.outbox.poll-interval=0",
                "--spring.quartz.auto-startup=false", "--spring.quartz.scheduler-name=tokens-" + UUID.randomUUID(),
                "--clearance.api.tokens=ci:intake+approve:ci-secret-0123456789").close())
                .rootCause().hasMessageContaining("CLEARANCE_API_TOKENS").hasMessageContaining("'approve'")
                .hasMessageNotContaining("ci-secret-0123456789");
    }
}
