package dev.clearance.adapters.access;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider.AccessProviderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookAccessProviderTest {
    private static final byte[] SECRET = "a-test-secret-of-32-bytes-length".getBytes(StandardCharsets.UTF_8);
    private final WireMockServer server = new WireMockServer(options().dynamicPort());
    private WebhookAccessProvider provider;
    private final AccessGrant grant = new AccessGrant(new RequestId("REQ-0123456789"), UserEmail.of("alice@example.com"),
            "s3:DeleteBucket", "123456789012", ScopePath.of("org/prod"), Optional.of(Instant.parse("2026-03-02T13:00:00Z")),
            "REQ-0123456789:grant");

    @BeforeEach
    void start() {
        server.start();
        provider = new WebhookAccessProvider(URI.create(server.baseUrl() + "/hooks/access"), SECRET,
                Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void postsASignedPayloadWithAnIdempotencyKey() throws Exception {
        server.stubFor(post("/hooks/access").willReturn(aResponse().withStatus(204)));
        provider.grant(grant);
        LoggedRequest req = server.findAll(postRequestedFor(urlEqualTo("/hooks/access"))).get(0);
        String body = req.getBodyAsString();
        assertThat(body).contains("\"action\":\"grant\"", "\"requestId\":\"REQ-0123456789\"",
                "\"requester\":\"alice@example.com\"", "\"expiresAt\":\"2026-03-02T13:00:00Z\"");
        assertThat(req.getHeader("X-Clearance-Timestamp")).isEqualTo("1772442000");
        assertThat(req.getHeader("Idempotency-Key")).isEqualTo("REQ-0123456789:grant");
        // a receiver verifies by recomputing the HMAC over "v1:<timestamp>:<body>"
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
        String expected = java.util.HexFormat.of().formatHex(mac.doFinal(("v1:1772442000:" + body).getBytes(StandardCharsets.UTF_8)));
        assertThat(req.getHeader("X-Clearance-Signature")).isEqualTo("v1=" + expected);
    }

    @Test
    void non2xxAndUnreachableFailTheAttemptWithTheReason() {
        server.stubFor(post("/hooks/access").willReturn(aResponse().withStatus(500).withBody("database locked")));
        assertThatThrownBy(() -> provider.revoke(grant)).isInstanceOf(AccessProviderException.class)
                .hasMessageContaining("HTTP 500").hasMessageContaining("database locked");
        server.stop();
        assertThatThrownBy(() -> provider.revoke(grant)).isInstanceOf(AccessProviderException.class)
                .hasMessageContaining("unreachable");
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new WebhookAccessProvider(URI.create("http://localhost/"), new byte[4], Clock.systemUTC(), Duration.ofSeconds(1)))
                .hasMessageContaining("at least 16 bytes");
    }
}
