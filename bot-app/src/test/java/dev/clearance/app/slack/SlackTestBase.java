package dev.clearance.app.slack;

import dev.clearance.app.support.Fixtures;
import dev.clearance.app.support.TimedAppTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import dev.clearance.cards.slack.SlackIds;

/**
 * The whole application with Slack on: WireMock plays the Slack Web API, and tests send signed requests to
 * /slack/events shaped like the real payloads in fixtures/slack.
 */
@TestPropertySource(properties = {"clearance.slack.bot-token=xoxb-test-token",
        "clearance.slack.signing-secret=" + SlackTestBase.SIGNING_SECRET})
public abstract class SlackTestBase extends TimedAppTest {
    /** Clicks that only open a form do so just after their ack: each send waits for that work, as Slack's user would. */
    @org.springframework.beans.factory.annotation.Autowired
    SlackAfterAck afterAck;

    static final String SIGNING_SECRET = "test-signing-secret-0123456789abcdef";
    static final FakeSlack SLACK = new FakeSlack();
    static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void slackApi(DynamicPropertyRegistry registry) {
        registry.add("clearance.slack.api-url", SLACK::apiUrl);
    }

    @BeforeEach
    void freshWorkspace() {
        settle();
        SLACK.stubWorkspace();
    }

    record SlackResponse(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    // ----- signed requests, as Slack sends them

    SlackResponse send(String formBody) {
        return send(formBody, clock.instant().getEpochSecond(), null);
    }

    SlackResponse send(String formBody, long timestamp, String signature) {
        SlackResponse r = sendWithoutWaiting(formBody, timestamp, signature);
        if (!afterAck.awaitIdle(java.time.Duration.ofSeconds(10))) {
            throw new IllegalStateException("a click's work after its ack did not finish");
        }
        return r;
    }

    /** As Slack sees it: the ack only, whatever the click still does after it. */
    SlackResponse sendWithoutWaiting(String formBody, long timestamp, String signature) {
        String ts = Long.toString(timestamp);
        String sig = signature != null ? signature : sign(SIGNING_SECRET, ts, formBody);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/slack/events"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", sig)
                .POST(HttpRequest.BodyPublishers.ofString(formBody)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new SlackResponse(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ----- payloads built from the fixtures

    /** A slash command shaped like fixtures/slack/slash_command.form.txt, from a member of the installed workspace. */
    static String slashCommand(String userId, String text) {
        return slashCommand(userId, text, FakeSlack.TEAM, null);
    }

    /** A slash command from a user of workspace {@code teamId} (and Enterprise Grid organisation {@code enterpriseId}). */
    static String slashCommand(String userId, String text, String teamId, String enterpriseId) {
        String fixture = Fixtures.read("slack/slash_command.form.txt");
        StringBuilder out = new StringBuilder();
        for (String pair : fixture.split("&")) {
            String key = pair.substring(0, pair.indexOf('='));
            String value = switch (key) {
                case "user_id" -> userId;
                case "user_name" -> FakeSlack.USERS.getOrDefault(userId, "x@").split("@")[0];
                case "command" -> "/access";
                case "text" -> text;
                case "trigger_id" -> "trigger-" + userId;
                case "team_id" -> teamId;
                default -> null;
            };
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(value == null ? pair : key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        if (enterpriseId != null) {
            out.append("&enterprise_id=").append(URLEncoder.encode(enterpriseId, StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    /** A button click shaped like fixtures/slack/block_actions_button.json, in the user's DM with the bot. */
    static String blockAction(String userId, String actionId, String value) {
        return blockAction(userId, actionId, value, FakeSlack.dm(userId));
    }

    /** A button click in a given conversation (a DM, or a shared approval channel). */
    static String blockAction(String userId, String actionId, String value, String channel) {
        return blockAction(userId, FakeSlack.TEAM, actionId, value, channel);
    }

    /**
     * A button click by a user whose home workspace is {@code userTeamId}, in a conversation of the installed workspace
     * (as a Slack Connect member clicks in a shared channel).
     */
    static String blockAction(String userId, String userTeamId, String actionId, String value, String channel) {
        ObjectNode p = (ObjectNode) JSON.readTree(Fixtures.read("slack/block_actions_button.json"));
        ((ObjectNode) p.get("user")).put("id", userId);
        ((ObjectNode) p.get("user")).put("team_id", userTeamId);
        ((ObjectNode) p.get("team")).put("id", FakeSlack.TEAM);
        ((ObjectNode) p.get("container")).put("channel_id", channel);
        ((ObjectNode) p.get("channel")).put("id", channel);
        p.put("trigger_id", "trigger-" + userId + "-" + actionId);
        p.put("response_url", SLACK.responseUrl(userId, channel));
        ObjectNode action = (ObjectNode) p.get("actions").get(0);
        action.put("action_id", actionId);
        action.put("value", value);
        action.put("block_id", "clearance");
        return "payload=" + URLEncoder.encode(JSON.writeValueAsString(p), StandardCharsets.UTF_8);
    }

    /** Enter pressed in an input of an open modal: block_actions from a view, shaped like the button fixture. */
    static String viewAction(String userId, String actionId, String viewId, Map<String, String> texts) {
        ObjectNode p = (ObjectNode) JSON.readTree(Fixtures.read("slack/block_actions_button.json"));
        ((ObjectNode) p.get("user")).put("id", userId);
        ((ObjectNode) p.get("user")).put("team_id", FakeSlack.TEAM);
        ((ObjectNode) p.get("team")).put("id", FakeSlack.TEAM);
        p.remove("channel");
        p.remove("message");
        p.remove("response_url");
        ObjectNode container = p.putObject("container");
        container.put("type", "view");
        container.put("view_id", viewId);
        ObjectNode view = p.putObject("view");
        view.put("id", viewId);
        view.put("hash", "1700000000.abcdef");
        view.put("type", "modal");
        view.put("callback_id", SlackIds.REQUEST_MODAL);
        view.put("private_metadata", "");
        ObjectNode values = view.putObject("state").putObject("values");
        texts.forEach((block, text) -> values.putObject(block).putObject(block.equals(SlackIds.RESOURCE_BLOCK)
                ? SlackIds.REQUEST_RESOURCE_ACTION : SlackIds.REQUEST_ACCOUNT_ACTION).put("type", "plain_text_input").put("value", text));
        p.remove("state");
        ObjectNode action = (ObjectNode) p.get("actions").get(0);
        action.put("action_id", actionId);
        action.put("type", "plain_text_input");
        action.put("block_id", SlackIds.RESOURCE_BLOCK);
        action.put("value", texts.getOrDefault(SlackIds.RESOURCE_BLOCK, ""));
        return "payload=" + URLEncoder.encode(JSON.writeValueAsString(p), StandardCharsets.UTF_8);
    }

    /** A modal submission shaped like fixtures/slack/view_submission_static_select.json. */
    static String viewSubmission(String userId, String callbackId, String metadata, Map<String, String> texts,
                                 Map<String, String> selects) {
        return viewSubmission(userId, FakeSlack.TEAM, callbackId, metadata, texts, selects);
    }

    /** A modal submission by a user whose home workspace is {@code userTeamId}. */
    static String viewSubmission(String userId, String userTeamId, String callbackId, String metadata,
                                 Map<String, String> texts, Map<String, String> selects) {
        ObjectNode p = (ObjectNode) JSON.readTree(Fixtures.read("slack/view_submission_static_select.json"));
        ((ObjectNode) p.get("user")).put("id", userId);
        ((ObjectNode) p.get("user")).put("team_id", userTeamId);
        ((ObjectNode) p.get("team")).put("id", FakeSlack.TEAM);
        ((ObjectNode) p.get("view")).put("team_id", FakeSlack.TEAM);
        ((ObjectNode) p.get("view")).put("app_installed_team_id", FakeSlack.TEAM);
        ObjectNode view = (ObjectNode) p.get("view");
        view.put("callback_id", callbackId);
        view.put("private_metadata", metadata);
        ObjectNode values = JSON.createObjectNode();
        texts.forEach((block, text) -> values.putObject(block).putObject("value").put("type", "plain_text_input").put("value", text));
        selects.forEach((block, option) -> values.putObject(block).putObject("value").put("type", "static_select")
                .putObject("selected_option").put("value", option).putObject("text").put("type", "plain_text").put("text", option));
        ((ObjectNode) view.get("state")).set("values", values);
        return "payload=" + URLEncoder.encode(JSON.writeValueAsString(p), StandardCharsets.UTF_8);
    }
}
