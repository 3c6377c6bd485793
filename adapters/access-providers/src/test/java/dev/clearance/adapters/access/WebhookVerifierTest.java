package dev.clearance.adapters.access;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.AccessGrant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's webhook verification snippet is {@link WebhookVerifier}, word for word, and it accepts exactly what
 * Clearance's own signer sends: fresh, correctly signed, and once per idempotency key.
 */
class WebhookVerifierTest {
    private static final byte[] SECRET = "a-test-secret-of-32-bytes-length".getBytes(StandardCharsets.UTF_8);
    private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");
    private final WireMockServer receiver = new WireMockServer(options().dynamicPort());

    @AfterEach
    void stop() {
        receiver.stop();
    }

    private LoggedRequest sentByClearance(String action) throws Exception {
        receiver.start();
        receiver.stubFor(post("/hooks/access").willReturn(aResponse().withStatus(204)));
        WebhookAccessProvider provider = new WebhookAccessProvider(URI.create(receiver.baseUrl() + "/hooks/access"), SECRET,
                Clock.fixed(SENT, ZoneOffset.UTC), Duration.ofSeconds(5));
        AccessGrant grant = new AccessGrant(new RequestId("REQ-0123456789"), UserEmail.of("alice@example.com"),
                "s3:DeleteBucket", "123456789012", ScopePath.of("org/prod"), Optional.of(SENT.plusSeconds(3600)),
                "REQ-0123456789:" + action);
        if (action.equals("grant")) {
            provider.grant(grant);
        } else {
            provider.revoke(grant);
        }
        return receiver.findAll(postRequestedFor(urlEqualTo("/hooks/access"))).get(0);
    }

    private static WebhookVerifier.Verdict check(WebhookVerifier v, LoggedRequest r, String body) throws Exception {
        return v.verify(r.getHeader("X-Clearance-Timestamp"), r.getHeader("X-Clearance-Signature"),
                r.getHeader("Idempotency-Key"), body);
    }

    @Test
    void theReadmeSnippetIsTheTestedVerifier() throws Exception {
        String readme = Files.readString(Path.of("../../README.md"));
        String source = Files.readString(Path.of("src/test/java/dev/clearance/adapters/access/WebhookVerifier.java"));
        String snippet = source.substring(source.indexOf("// README:BEGIN webhook-verifier\n")
                + "// README:BEGIN webhook-verifier\n".length(), source.indexOf("// README:END webhook-verifier"));
        assertThat(readme).as("README.md must carry WebhookVerifier.java's code between the markers, verbatim")
                .contains("```java\n" + snippet + "```");
    }

    @Test
    void acceptsClearancesCallOnceAndAnswersItsRetryWithoutActingAgain() throws Exception {
        LoggedRequest call = sentByClearance("grant");
        WebhookVerifier verifier = new WebhookVerifier(SECRET, Clock.fixed(SENT.plusSeconds(2), ZoneOffset.UTC));
        assertThat(check(verifier, call, call.getBodyAsString())).isEqualTo(WebhookVerifier.Verdict.ACT);
        assertThat(check(verifier, call, call.getBodyAsString())).as("a retry or a replay within the window")
                .isEqualTo(WebhookVerifier.Verdict.ALREADY_DONE);
    }

    @Test
    void refusesAStaleReplayAForgedBodyAWrongSecretAndMissingHeaders() throws Exception {
        LoggedRequest call = sentByClearance("revoke");
        String body = call.getBodyAsString();
        WebhookVerifier late = new WebhookVerifier(SECRET, Clock.fixed(SENT.plusSeconds(5 * 60 + 1), ZoneOffset.UTC));
        assertThat(check(late, call, body)).as("more than 5 minutes old").isEqualTo(WebhookVerifier.Verdict.REFUSE);
        WebhookVerifier now = new WebhookVerifier(SECRET, Clock.fixed(SENT, ZoneOffset.UTC));
        assertThat(check(now, call, body.replace("\"revoke\"", "\"grant\""))).as("body changed in transit")
                .isEqualTo(WebhookVerifier.Verdict.REFUSE);
        WebhookVerifier otherSecret = new WebhookVerifier("another-secret-of-32-bytes-long!".getBytes(StandardCharsets.UTF_8),
                Clock.fixed(SENT, ZoneOffset.UTC));
        assertThat(check(otherSecret, call, body)).isEqualTo(WebhookVerifier.Verdict.REFUSE);
        assertThat(now.verify(null, call.getHeader("X-Clearance-Signature"), "k", body)).isEqualTo(WebhookVerifier.Verdict.REFUSE);
        assertThat(now.verify(call.getHeader("X-Clearance-Timestamp"), null, "k", body)).isEqualTo(WebhookVerifier.Verdict.REFUSE);
        assertThat(now.verify(call.getHeader("X-Clearance-Timestamp"), call.getHeader("X-Clearance-Signature"), null, body))
                .isEqualTo(WebhookVerifier.Verdict.REFUSE);
        assertThat(now.verify("not-a-number", call.getHeader("X-Clearance-Signature"), "k", body))
                .isEqualTo(WebhookVerifier.Verdict.REFUSE);
        assertThat(check(now, call, body)).as("the genuine call still passes").isEqualTo(WebhookVerifier.Verdict.ACT);
    }

    @Test
    void theWebhookUrlIsDescribedWithoutItsQueryOrUserInfo() {
        assertThat(WebhookAccessProvider.describe(URI.create("https://svc:p4ss@hooks.example.com:8443/grant?token=s3cr3t#x")))
                .isEqualTo("https://hooks.example.com:8443/grant");
        assertThat(WebhookAccessProvider.describe(URI.create("http://localhost/hook"))).isEqualTo("http://localhost/hook");
    }
}
