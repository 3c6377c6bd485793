package dev.clearance.app.teams;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** The fake Bot Connector and Teams activities, for tests outside this package (cross-platform). */
public final class TeamsProbe {
    private static final FakeTeams TEAMS = new FakeTeams();
    private final HttpClient http = HttpClient.newHttpClient();

    public void reset() {
        TEAMS.reset();
    }

    public String install(String who) {
        return TEAMS.install(who);
    }

    public int post(int port, String activity) {
        return send(port, activity).statusCode();
    }

    /** Sends an Action.Execute invoke and returns the card that came back. */
    public String invoke(int port, String who, String verb, Map<String, String> data) {
        HttpResponse<String> r = send(port, TEAMS.invoke(who, verb, data));
        return FakeTeams.JSON.readTree(r.body()).get("value").toString();
    }

    /** The cards posted (POST) to, or updated (PUT) in, a person's conversation. */
    public List<String> to(String who, String method) {
        return TEAMS.to(who, method).stream().map(FakeTeams.Sent::card).toList();
    }

    private HttpResponse<String> send(int port, String activity) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/messages"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(activity)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
