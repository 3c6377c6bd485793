package dev.clearance.app.teams;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Teams activities through the real bot (bot commands and Action.Execute invokes) against this package's fake Bot
 * Connector, for tests outside it (the authorization matrix). The application must run Teams in development mode
 * ({@code clearance.teams.allow-unauthenticated=true}), as this package's tests do.
 */
public final class TeamsChatProbe {
    private static final FakeTeams TEAMS = new FakeTeams();
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    public TeamsChatProbe(int port) {
        this.port = port;
    }

    public void reset() {
        TEAMS.reset();
    }

    /** Installs the bot for this person, as Teams does in their personal chat. */
    public int install(String who) {
        return send(TEAMS.install(who)).statusCode();
    }

    public record Reply(int status, String card) {
    }

    /** An Action.Execute invoke; the card is the invoke response's card. */
    public Reply invoke(String who, String verb, Map<String, String> data) {
        HttpResponse<String> r = send(TEAMS.invoke(who, verb, data));
        if (r.statusCode() / 100 != 2) {
            return new Reply(r.statusCode(), r.body());
        }
        return new Reply(r.statusCode(), FakeTeams.JSON.readTree(r.body()).path("value").toString());
    }

    /** A bot command in the personal chat; the card is the bot's reply, posted to the conversation (null if none). */
    public Reply say(String who, String text) {
        int before = TEAMS.to(who, "POST").size();
        HttpResponse<String> r = send(TEAMS.message(who, text));
        List<FakeTeams.Sent> posted = TEAMS.to(who, "POST");
        return new Reply(r.statusCode(), posted.size() > before ? posted.get(posted.size() - 1).card() : null);
    }

    private HttpResponse<String> send(String activity) {
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
