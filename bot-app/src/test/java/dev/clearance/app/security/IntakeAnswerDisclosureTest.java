package dev.clearance.app.security;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.TimedAppTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An intake that finds an existing request (same requester, resource and account, or a replayed Idempotency-Key)
 * answers with it; to a token without {@code read} it names the request and nothing more. Found by the penetration
 * test of issue 19: a detector's {@code intake} token, re-filing a triple it guessed, read the request's
 * justification, votes and audit trail, and could ask whether someone held an access at that moment.
 */
@TestPropertySource(properties = "clearance.api.tokens=" + ApiClient.TOKEN + ",detector:intake:"
        + IntakeAnswerDisclosureTest.DETECTOR)
class IntakeAnswerDisclosureTest extends TimedAppTest {
    static final String DETECTOR = "detector-secret-0123456789";

    private ApiClient.Response intakeAs(String token, String body, String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri("/api/v1/requests")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return api.unauthenticated(b);
    }

    private static void assertNamesOnly(ApiClient.Response r, String id) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.text("id")).isEqualTo(id);
        assertThat(r.raw()).doesNotContain("INC-4711", "audit", "justification", "steps", "status", "resource");
    }

    @Test
    void anIntakeOnlyTokenLearnsTheIdOfAnExistingRequestAndNothingMore() {
        String triple = "{\"requester\":\"yan@example.com\",\"resource\":\"ec2:TerminateInstances\",\"account\":\"123456789012\"";
        ApiClient.Response created = intakeAs(ApiClient.TOKEN, triple + ",\"justification\":\"INC-4711: the secret plan\"}",
                "portal-key-1");
        assertThat(created.status()).isEqualTo(201);
        String id = created.text("id");

        // the same triple, and the other caller's Idempotency-Key with another triple
        assertNamesOnly(intakeAs(DETECTOR, triple + "}", null), id);
        assertNamesOnly(intakeAs(DETECTOR, "{\"requester\":\"zed@example.com\",\"resource\":\"ec2:DescribeTags\","
                + "\"account\":\"210987654321\"}", "portal-key-1"), id);

        // a token that may read gets the request, as before
        ApiClient.Response reader = intakeAs(ApiClient.TOKEN, triple + "}", null);
        assertThat(reader.status()).isEqualTo(200);
        assertThat(reader.text("justification")).isEqualTo("INC-4711: the secret plan");
    }
}
