package dev.clearance.app.teams;

import dev.clearance.app.support.TimedAppTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** The whole application with Teams on in development mode (no app id, as with Microsoft's local Teams client). */
@TestPropertySource(properties = "clearance.teams.allow-unauthenticated=true")
public abstract class TeamsTestBase extends TimedAppTest {
    static final FakeTeams TEAMS = new FakeTeams();
    static final List<String> EVERYONE = List.of("alice", "bob", "olga", "pat", "pia", "sam", "sue", "sid", "root");
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void installEveryone() {
        // each test starts a little later than the last, as in life: per-conversation rate windows have passed
        advance(java.time.Duration.ofSeconds(2));
        TEAMS.reset();
        for (String who : EVERYONE) {
            assertOk(activity(TEAMS.install(who)));
        }
    }

    record Reply(int status, String body) {
        JsonNode json() {
            return FakeTeams.JSON.readTree(body);
        }

        String card() {
            return json().get("value").toString();
        }
    }

    Reply activity(String json) {
        return activity(json, null);
    }

    Reply activity(String json, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void assertOk(Reply r) {
        if (r.status() / 100 != 2) {
            throw new AssertionError("HTTP " + r.status() + ": " + r.body());
        }
    }
}
