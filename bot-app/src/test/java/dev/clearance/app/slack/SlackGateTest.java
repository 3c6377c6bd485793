package dev.clearance.app.slack;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack's signature check runs in the Spring Security chain that covers whatever reaches Bolt's servlet: a spelling
 * the container maps to {@code /slack/events} is verified like the plain one.
 */
class SlackGateTest extends SlackTestBase {
    private final HttpClient http = HttpClient.newHttpClient();

    private int post(String path, String body, String signature) throws Exception {
        String ts = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", signature == null ? sign(SIGNING_SECRET, ts, body) : signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aSpellingThatReachesBoltIsVerifiedLikeThePlainOne() throws Exception {
        String command = slashCommand(FakeSlack.USERS.keySet().iterator().next(), "help");
        for (String path : new String[]{"/slack/events", "/slack/event%73", "/%73lack/events"}) {
            assertThat(post(path, command, "v0=" + "0".repeat(64))).as(path + ", forged").isEqualTo(401);
            assertThat(post(path, command, null)).as(path + ", signed").isEqualTo(200);
        }
    }
}
