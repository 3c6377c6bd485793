package dev.clearance.app.security;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.StoreSnapshot;
import dev.clearance.app.support.TimedAppTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies are capped before anything reads them (413, nothing parsed, the process alive), and malformed encodings are
 * a 400 naming what to fix, never a 500. Slack and Teams are on, as in production; requests go over a raw socket.
 */
@TestPropertySource(properties = {
        "clearance.slack.bot-token=xoxb-limits-test", "clearance.slack.signing-secret=limits-test-signing-secret-0123",
        "clearance.slack.api-url=http://127.0.0.1:9/api/",
        "clearance.teams.app-id=11111111-2222-3333-4444-555555555555", "clearance.teams.app-password=not-a-real-password",
        "clearance.teams.tenant-id=72f988bf-86f1-41af-91ab-2d7cd011db47"})
class EntryLimitsTest extends TimedAppTest {
    private static final long HUGE = 400L * 1024 * 1024;
    private static final Map<String, String> TOKEN = Map.of("Authorization", "Bearer " + ApiClient.TOKEN,
            "Content-Type", "application/json");

    @Autowired
    JdbcClient jdbc;

    /**
     * Streams {@code total} bytes (declared, or chunked when {@code chunked}) from another thread while this one reads
     * the answer: the server must answer without waiting for the body. Returns the answer and how much was sent by then.
     */
    private record Streamed(RawHttp.Answer answer, long sent) {
    }

    private Streamed stream(String path, Map<String, String> headers, long total, boolean chunked) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + total + "\r\n").append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                byte[] block = new byte[64 * 1024];
                java.util.Arrays.fill(block, (byte) 'a');
                try {
                    while (sent.get() < total) {
                        if (chunked) {
                            out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.write(block);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        }
                        sent.addAndGet(block.length);
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException closedByTheServer) {
                    // expected: the server answered and stopped reading
                }
            });
            writer.setDaemon(true);
            writer.start();
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            long atAnswer = sent.get();
            socket.close();
            writer.join(30_000);
            return new Streamed(answer, atAnswer);
        }
    }

    private void assertAlive() {
        assertThat(RawHttp.send(port, "GET", "/actuator/health", Map.of(), null).status()).isEqualTo(200);
    }

    @Test
    void a400MegabyteUnsignedPostToSlackIsRefusedBeforeItIsRead() throws Exception {
        String before = StoreSnapshot.of(jdbc);
        Streamed declared = stream("/slack/events", Map.of("Content-Type", "application/x-www-form-urlencoded"), HUGE, false);
        assertThat(declared.answer().status()).isEqualTo(413);
        assertThat(declared.answer().header("Content-Type")).startsWith("application/problem+json");
        assertThat(declared.sent()).as("answered long before the body was sent").isLessThan(HUGE / 4);
        assertAlive();
        Streamed chunked = stream("/slack/events", Map.of("Content-Type", "application/x-www-form-urlencoded"), HUGE, true);
        assertThat(chunked.answer().status()).isEqualTo(413);
        assertThat(chunked.sent()).isLessThan(HUGE / 4);
        assertAlive();
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
    }

    @Test
    void teamsBodiesOverAMegabyteAreRefusedBeforeTheTokenIsChecked() throws Exception {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        assertThat(stream("/api/messages", json, 60L * 1024 * 1024, false).answer().status()).isEqualTo(413);
        assertThat(stream("/api/messages", json, 2L * 1024 * 1024, true).answer().status()).isEqualTo(413);
        // under the limit, the Bot Framework token is what refuses it
        assertThat(RawHttp.send(port, "POST", "/api/messages", json, "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8))
                .status()).isEqualTo(401);
        assertAlive();
    }

    @Test
    void apiBodiesAreCappedAtTheLargestValidInput() throws Exception {
        String before = StoreSnapshot.of(jdbc);
        RawHttp.Answer declared = RawHttp.send(port, "POST", "/api/v1/requests", TOKEN, intakeOfSize(100 * 1024));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.body()).contains("\"status\":413");
        assertThat(stream("/api/v1/requests", TOKEN, 100 * 1024, true).answer().status()).isEqualTo(413);
        // without a token too: the size is judged first
        assertThat(stream("/api/v1/requests", Map.of("Content-Type", "application/json"), HUGE, false).answer().status())
                .isEqualTo(413);
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
        // a body within the limit reaches the API, which names what is wrong with it
        RawHttp.Answer within = RawHttp.send(port, "POST", "/api/v1/requests", TOKEN, intakeOfSize(60 * 1024));
        assertThat(within.status()).isEqualTo(400);
        assertThat(within.body()).contains("\"field\":\"justification\"");
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
    }

    @Test
    void aChunkedBodyWithinTheLimitIsReadAsSent() throws Exception {
        Streamed small = stream("/api/v1/requests", TOKEN, 64 * 1024, true);
        // 64 KiB of 'a' is no JSON: the API read it whole and said so
        assertThat(small.answer().status()).isEqualTo(400);
    }

    private static byte[] intakeOfSize(int size) {
        String start = "{\"requester\":\"zoe@example.com\",\"resource\":\"s3:GetObject\",\"account\":\"123456789012\",\"justification\":\"";
        return (start + "x".repeat(size - start.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aQueryThatIsNotUtf8IsA400NamingItNeverA500() {
        for (String target : new String[]{"/api/v1/requests?scope=x%ED%BF%BFy",
                "/api/v1/policies/resolve?requester=zoe@example.com&resource=s3:GetObject&account=1&scope=x%ED%BF%BFy",
                "/api/v1/requests?scope=%G1", "/api/v1/requests?scope=%", "/api/v1/requests?scope=%C3"}) {
            RawHttp.Answer a = RawHttp.send(port, "GET", target, TOKEN, null);
            assertThat(a.status()).as(target).isEqualTo(400);
            assertThat(a.body()).as(target).contains("\"field\":\"query\"");
        }
        // the same on the Slack and Teams endpoints, and before authentication
        assertThat(RawHttp.send(port, "POST", "/slack/events?x=%ED%BF%BF", Map.of(), new byte[0]).status()).isEqualTo(400);
        assertThat(RawHttp.send(port, "POST", "/api/messages?x=%ED%BF%BF", Map.of(), new byte[0]).status()).isEqualTo(400);
        // valid UTF-8 still passes
        assertThat(RawHttp.send(port, "GET", "/api/v1/requests?requester=z%C3%B6e@example.com", TOKEN, null).status())
                .isEqualTo(200); // valid UTF-8 (an ö) passes the check
    }

    @Test
    void malformedPathsFormsAndHeadersAre4xxNeverA500() {
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        RawHttp.Answer badForm = RawHttp.send(port, "POST", "/", form, "a=%ED%BF%BF".getBytes(StandardCharsets.UTF_8));
        assertThat(badForm.status()).isEqualTo(400);
        assertThat(badForm.body()).contains("\"field\":\"form\"");
        assertThat(RawHttp.send(port, "GET", "/api/v1/requests/%ED%BF%BF", TOKEN, null).status()).isBetween(400, 499);
        assertThat(RawHttp.send(port, "GET", "/api/v1/requests/%C3", TOKEN, null).status()).isBetween(400, 499);
        assertThat(RawHttp.send(port, "GET", "/api/v1/requests", Map.of("Authorization", "Bearer \u00ff\u00fe"), null).status())
                .isEqualTo(401);
        assertThat(RawHttp.send(port, "GET", "/api/v1/requests", Map.of("Authorization", "Bearer " + ApiClient.TOKEN,
                "Accept-Language", ";;q=x,\u00ff"), null).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "POST", "/api/v1/requests", Map.of("Authorization", "Bearer " + ApiClient.TOKEN,
                "Content-Type", "application/json; charset=\u00ffnonsense"), "{}".getBytes(StandardCharsets.UTF_8)).status())
                .isBetween(400, 499);
        assertThat(RawHttp.send(port, "GET", "/api/v1/requests", Map.of("Authorization", "Bearer " + ApiClient.TOKEN,
                "Accept", "\u00ff/;;"), null).status()).isBetween(400, 499);
        assertAlive();
    }

    @Test
    void pageAndSizeAreValidatedNamingTheField() {
        for (String query : new String[]{"page=100000000&size=100", "page=2147483647", "page=-1", "page=99999999999", "page=abc"}) {
            ApiClient.Response r = api.get("/api/v1/requests?" + query);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.text("field")).as(query).isEqualTo("page");
        }
        for (String query : new String[]{"size=0", "size=1000", "size=99999999999", "size=x"}) {
            ApiClient.Response r = api.get("/api/v1/requests?" + query);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.text("field")).as(query).isEqualTo("size");
        }
    }
}
