package dev.clearance.app.slack;

import org.springframework.context.ApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Signed Slack requests through the real Bolt app, built from the same fixtures and the same fake workspace as this
 * package's tests, for tests outside it (the authorization matrix). The application must use {@link #apiUrl()} as
 * {@code clearance.slack.api-url} and {@link #SIGNING_SECRET} as its signing secret.
 */
public final class SlackProbe {
    public static final String SIGNING_SECRET = SlackTestBase.SIGNING_SECRET;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final Clock clock;
    private final SlackAfterAck afterAck;

    public SlackProbe(int port, Clock clock, ApplicationContext context) {
        this.port = port;
        this.clock = clock;
        this.afterAck = context.getBean(SlackAfterAck.class);
    }

    public static String apiUrl() {
        return SlackTestBase.SLACK.apiUrl();
    }

    /** A fresh workspace: stubs as at the start, and nothing recorded. */
    public void resetWorkspace() {
        SlackTestBase.SLACK.stubWorkspace();
    }

    /** Whether the fake workspace has this user (and so users.info gives their email). */
    public static boolean knows(String userId) {
        return FakeSlack.USERS.containsKey(userId);
    }

    public record Reply(int status, String body) {
    }

    public Reply command(String userId, String text) {
        return send(SlackTestBase.slashCommand(userId, text));
    }

    /** A button click in the user's DM with the bot; returns once the work after its ack is done. */
    public Reply click(String userId, String actionId, String value) {
        return send(SlackTestBase.blockAction(userId, actionId, value));
    }

    public Reply submit(String userId, String callbackId, String metadata, Map<String, String> texts, Map<String, String> selects) {
        return send(SlackTestBase.viewSubmission(userId, callbackId, metadata, texts, selects));
    }

    /** What was told to this user through the response_url of their clicks, oldest first. */
    public List<String> repliesTo(String userId) {
        return SlackTestBase.SLACK.responses().stream().filter(r -> userId.equals(r.get("user"))).map(r -> r.get("text")).toList();
    }

    /** The views opened (views.open's view JSON), oldest first. */
    public List<String> viewsOpened() {
        return SlackTestBase.SLACK.calls("views.open").stream().map(c -> c.get("view")).toList();
    }

    private Reply send(String formBody) {
        String ts = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/slack/events"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", SlackTestBase.sign(SIGNING_SECRET, ts, formBody))
                .POST(HttpRequest.BodyPublishers.ofString(formBody)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (!afterAck.awaitIdle(Duration.ofSeconds(10))) {
                throw new IllegalStateException("a click's work after its ack did not finish");
            }
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
