package dev.clearance.app.teams;

import dev.clearance.app.support.TimedAppTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** With an app id configured, /api/messages needs a valid Bot Framework JWT; without one nothing happens. */
@TestPropertySource(properties = {"clearance.teams.app-id=11111111-2222-3333-4444-555555555555",
        "clearance.teams.app-password=not-a-real-password", "clearance.teams.tenant-id=" + FakeTeams.TENANT})
class TeamsAuthTest extends TimedAppTest {
    static final FakeTeams TEAMS = new FakeTeams();

    @Test
    void requestsWithoutAValidTokenGet401AndChangeNothing() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String invoke = TEAMS.message("mallory", "pending");
        for (String authorization : new String[]{null, "Bearer not-a-jwt"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/messages"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(invoke));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
        }
        assertThat(TEAMS.sent()).as("no reply was sent").isEmpty();
        assertThat(TEAMS.server.getAllServeEvents()).as("not even a member lookup").isEmpty();
    }
}
