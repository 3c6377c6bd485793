package dev.clearance.adapters.access;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.AccessProvider.AccessProviderException;
import dev.clearance.core.port.HeldAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 20, attacked: the webhook receiver's answers, from a buggy or hostile receiver. A reconcile answer that is not
 * the documented shape fails the call (the round is tried again), and no answer, however large, is read without bound.
 */
class WebhookReconcileAttackTest {
    private static final byte[] SECRET = "a-test-secret-of-32-bytes-length".getBytes(StandardCharsets.UTF_8);
    private final WireMockServer server = new WireMockServer(options().dynamicPort());
    private WebhookAccessProvider provider;

    @BeforeEach
    void start() {
        server.start();
        provider = new WebhookAccessProvider(URI.create(server.baseUrl() + "/hooks/access"), SECRET,
                Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(5), true);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private void answer(String body) {
        server.stubFor(post("/hooks/access").willReturn(aResponse().withStatus(200).withBody(body)));
    }

    @Test
    void aWellFormedAnswerIsListedWithTheReceiversIdsNormalised() throws Exception {
        answer("{\"held\":[{\"requestId\":\" req-0123456789 \",\"description\":\"role admin\"},{\"requestId\":\"REQ-ABCDEFGHJK\"}]}");
        Optional<List<HeldAccess>> held = provider.held();
        assertThat(held).isPresent();
        assertThat(held.get()).extracting(HeldAccess::requestId)
                .containsExactly(new RequestId("REQ-0123456789"), new RequestId("REQ-ABCDEFGHJK"));
        assertThat(held.get().get(1).description()).contains("REQ-ABCDEFGHJK");
    }

    @Test
    void malformedAnswersFailTheCallInsteadOfListingNothing() {
        for (String body : List.of("", "not json", "[]", "{}", "{\"held\":{}}", "{\"held\":[{}]}",
                "{\"held\":[{\"requestId\":42}]}", "{\"held\":[{\"requestId\":\"'; drop table\"}]}",
                "{\"held\":[{\"requestId\":\"REQ-0123456789\"}")) {
            answer(body);
            assertThatThrownBy(() -> provider.held()).as(body).isInstanceOf(AccessProviderException.class);
        }
    }

    /**
     * Attack: a receiver answers the reconcile call with more than anyone would hold (a runaway log, a hostile peer).
     * Read unbounded, it takes the instance's memory; refused once past the bound, the round fails and is tried again.
     */
    @Test
    void aHugeReconcileAnswerIsRefusedWithoutReadingItAll() {
        String item = "{\"requestId\":\"REQ-0123456789\",\"description\":\"" + "x".repeat(1000) + "\"},";
        StringBuilder body = new StringBuilder("{\"held\":[");
        while (body.length() <= WebhookAccessProvider.MAX_RECONCILE_ANSWER) {
            body.append(item);
        }
        body.append(item, 0, item.length() - 1).append("]}");
        answer(body.toString());
        assertThatThrownBy(() -> provider.held()).isInstanceOf(AccessProviderException.class)
                .hasMessageContaining("answered more than");
    }

    /**
     * Attack: a receiver sends its headers at once, then trickles the body a byte at a time. The request timeout of the
     * JDK's client covers only the headers: each such call held a timer thread for as long as the receiver liked, and
     * eight of them stalled every timer (no revocation anywhere on time). The whole answer must come within the timeout.
     */
    @Test
    void aReceiverThatTricklesItsAnswerIsCutOffAtTheTimeout() {
        WebhookAccessProvider impatient = new WebhookAccessProvider(URI.create(server.baseUrl() + "/hooks/access"), SECRET,
                Clock.systemUTC(), Duration.ofSeconds(1), true);
        server.stubFor(post("/hooks/access").willReturn(aResponse().withStatus(200)
                .withBody("{\"held\":[" + "  ".repeat(50) + "]}").withChunkedDribbleDelay(50, 20_000)));
        long started = System.nanoTime();
        assertThatThrownBy(impatient::held).isInstanceOf(AccessProviderException.class).hasMessageContaining("1s");
        assertThatThrownBy(() -> impatient.grant(new AccessGrant(new RequestId("REQ-0123456789"),
                UserEmail.of("alice@example.com"), "s3:DeleteBucket", "123456789012", ScopePath.of("org/prod"),
                Optional.empty(), "REQ-0123456789:grant"))).isInstanceOf(AccessProviderException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    }

    /** A grant's 2xx answer is not needed: a huge one is cut, and the grant still counts as done. */
    @Test
    void aHugeGrantAnswerIsCutNotFailed() throws Exception {
        answer("y".repeat(WebhookAccessProvider.MAX_ANSWER * 4));
        provider.grant(new AccessGrant(new RequestId("REQ-0123456789"), UserEmail.of("alice@example.com"),
                "s3:DeleteBucket", "123456789012", ScopePath.of("org/prod"), Optional.empty(), "REQ-0123456789:grant"));
        server.stubFor(post("/hooks/access").willReturn(aResponse().withStatus(500).withBody("z".repeat(1_000_000))));
        assertThatThrownBy(() -> provider.revoke(new AccessGrant(new RequestId("REQ-0123456789"),
                UserEmail.of("alice@example.com"), "s3:DeleteBucket", "123456789012", ScopePath.of("org/prod"),
                Optional.empty(), "REQ-0123456789:revoke"))).isInstanceOf(AccessProviderException.class)
                .hasMessageContaining("HTTP 500").hasMessageNotContaining("z".repeat(300));
    }
}
