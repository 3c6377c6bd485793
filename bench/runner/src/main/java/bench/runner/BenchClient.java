package bench.runner;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static bench.runner.Bench.SIGNING_SECRET;
import static bench.runner.Bench.TOKEN;

/**
 * The requests the runner sends to Clearance and its floors, as an integrator (REST), as Slack (signed slash commands
 * and interactions) and as Teams (activities), each with a fresh number; and the wait for the outbox to go quiet.
 */
final class BenchClient {
    private final FakeSlack slack;
    private final FakeTeams teams;
    private final AtomicInteger unique = new AtomicInteger();
    /** While set, each Clearance intake notes when it was sent, to time its DM (see {@link RestScenario}). */
    volatile boolean trackDelivery;
    final Map<Integer, Long> intakeSent = new java.util.concurrent.ConcurrentHashMap<>();

    BenchClient(FakeSlack slack, FakeTeams teams) {
        this.slack = slack;
        this.teams = teams;
    }

    HttpRequest intake(Child app, String path, boolean justified) {
        int n = unique.incrementAndGet();
        if (trackDelivery) {
            intakeSent.put(n, System.nanoTime());
        }
        String body = "{\"requester\":\"r" + n + "@example.com\",\"resource\":\"s3:GetObject\",\"account\":\"123456789012\""
                + (justified ? ",\"justification\":\"bench " + n + "\",\"duration\":\"1h\"" : "") + "}";
        return HttpRequest.newBuilder(URI.create(app.url(path))).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpRequest intakeWith(Child c, String extra) {
        int n = unique.incrementAndGet();
        return HttpRequest.newBuilder(URI.create(c.url("/api/v1/requests"))).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"requester\":\"g" + n + "@example.com\",\"resource\":\"ec2:StopInstances\",\"account\":\"123456789012\"" + extra + "}"))
                .build();
    }

    private static final java.util.regex.Pattern CREATED_ID = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    /** The id of the request an intake created; anything but a 201 with an id stops the run. */
    static String createdId(HttpResponse<String> r) {
        java.util.regex.Matcher m = CREATED_ID.matcher(r.body());
        if (r.statusCode() != 201 || !m.find()) {
            throw new IllegalStateException("intake answered " + r.statusCode() + ": " + r.body());
        }
        return m.group(1);
    }

    /** How many requests the store holds, from the API's listing. */
    long stored(Child c) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(c.url("/api/v1/requests?size=1")))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"total\"\\s*:\\s*(\\d+)").matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    HttpRequest slashCommand(Child c, String email, String text) {
        String body = "token=bench&team_id=T0BENCH&team_domain=bench&channel_id=D0BENCH&channel_name=directmessage"
                + "&user_id=" + FakeSlack.userId(email) + "&user_name=" + email.substring(0, email.indexOf('@'))
                + "&command=%2Faccess&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
                + "&api_app_id=A0BENCH&response_url=" + URLEncoder.encode(slack.responseUrl(), StandardCharsets.UTF_8)
                + "&trigger_id=1.2." + unique.incrementAndGet();
        return signedSlack(c, body);
    }

    /** A signed Slack interaction ({@code payload=} form), as Slack sends block actions and view submissions. */
    private HttpRequest slackInteraction(Child app, String payload) {
        return signedSlack(app, "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8));
    }

    private String slackUser(String email) {
        String name = email.substring(0, email.indexOf('@'));
        return "{\"id\":\"" + FakeSlack.userId(email) + "\",\"username\":\"" + name + "\",\"name\":\"" + name
                + "\",\"team_id\":\"T0BENCH\"}";
    }

    /** pat clicks Approve on the approval request in their DM: Clearance checks and opens the decision form. */
    HttpRequest slackClick(Child app, String requestId) {
        String channel = "D" + FakeSlack.userId("pat@example.com");
        return slackInteraction(app, "{\"type\":\"block_actions\",\"user\":" + slackUser("pat@example.com")
                + ",\"api_app_id\":\"A0BENCH\",\"token\":\"bench\",\"container\":{\"type\":\"message\",\"message_ts\":\"1700000000.000100\","
                + "\"channel_id\":\"" + channel + "\",\"is_ephemeral\":false},\"trigger_id\":\"1.2." + unique.incrementAndGet()
                + "\",\"team\":{\"id\":\"T0BENCH\",\"domain\":\"bench\"},\"channel\":{\"id\":\"" + channel
                + "\",\"name\":\"directmessage\"},\"response_url\":\"" + slack.responseUrl() + "\",\"actions\":[{\"action_id\":"
                + "\"clearance.approve\",\"block_id\":\"decide\",\"text\":{\"type\":\"plain_text\",\"text\":\"Approve\"},"
                + "\"value\":\"" + requestId + "\",\"type\":\"button\",\"action_ts\":\"1700000001.000200\"}]}");
    }

    /** pat submits the decision form: approve, with a reason. */
    HttpRequest slackDecision(Child app, String requestId) {
        return slackInteraction(app, "{\"type\":\"view_submission\",\"team\":{\"id\":\"T0BENCH\",\"domain\":\"bench\"},\"user\":"
                + slackUser("pat@example.com") + ",\"api_app_id\":\"A0BENCH\",\"token\":\"bench\",\"trigger_id\":\"1.2."
                + unique.incrementAndGet() + "\",\"view\":{\"id\":\"V0BENCH\",\"team_id\":\"T0BENCH\",\"type\":\"modal\","
                + "\"private_metadata\":\"approve:" + requestId + "\",\"callback_id\":\"clearance.decide.modal\",\"state\":"
                + "{\"values\":{\"reason\":{\"value\":{\"type\":\"plain_text_input\",\"value\":\"bench approval\"}}}},"
                + "\"hash\":\"1700000000.abc\",\"title\":{\"type\":\"plain_text\",\"text\":\"Approve\"},\"blocks\":[]}}");
    }

    /** A request to /slack/events signed as Slack signs it (v0 HMAC of timestamp and body). */
    private static HttpRequest signedSlack(Child c, String body) {
        String ts = Long.toString(System.currentTimeMillis() / 1000);
        return HttpRequest.newBuilder(URI.create(c.url("/slack/events")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", "v0=" + hmac("v0:" + ts + ":" + body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String hmac(String base) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bot added in a person's personal chat (Teams keeps the conversation and, by member lookup, their email). */
    void teamsInstall(Child c, String email) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(teamsActivity(c, "{\"type\":\"conversationUpdate\","
                + "\"membersAdded\":[{\"id\":\"28:bench-bot\"}," + teamsUser(email) + "]," + teamsEnvelope(email) + "}"),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("Teams conversationUpdate answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static String teamsUser(String email) {
        return "{\"id\":\"" + FakeTeams.userId(email) + "\",\"name\":\"" + email + "\",\"aadObjectId\":\""
                + FakeTeams.aadObjectId(email) + "\"}";
    }

    private String teamsEnvelope(String email) {
        return "\"id\":\"a" + unique.incrementAndGet() + "\",\"timestamp\":\"" + Instant.now() + "\",\"channelId\":\"msteams\","
                + "\"serviceUrl\":\"" + teams.serviceUrl() + "\",\"from\":" + teamsUser(email) + ",\"conversation\":{"
                + "\"conversationType\":\"personal\",\"tenantId\":\"tenant-bench\",\"id\":\"a:personal-"
                + FakeTeams.userId(email).substring(3) + "\"},\"recipient\":{\"id\":\"28:bench-bot\",\"name\":\"Clearance\"},"
                + "\"channelData\":{\"tenant\":{\"id\":\"tenant-bench\"}}";
    }

    /** pat's Approve (Universal Actions): with a reason it decides; without one it asks for the decision card. */
    HttpRequest teamsInvoke(Child app, String requestId, String reason) {
        String data = "{\"requestId\":\"" + requestId + "\"" + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}";
        return teamsActivity(app, "{\"type\":\"invoke\",\"name\":\"adaptiveCard/action\",\"value\":{\"action\":{\"type\":"
                + "\"Action.Execute\",\"title\":\"Approve\",\"verb\":\"clearance.approve\",\"data\":" + data + "}},"
                + teamsEnvelope("pat@example.com") + "}");
    }

    private static HttpRequest teamsActivity(Child app, String activity) {
        return HttpRequest.newBuilder(URI.create(app.url("/api/messages"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(activity)).build();
    }

    /** Waits until the outbox has delivered what the last phase enqueued: no Slack call for two seconds. */
    void awaitQuiet(Child c) throws InterruptedException {
        slack.awaitQuiet();
    }
}
