package dev.clearance.adapters.slack;

import dev.clearance.core.testing.InMemoryCore;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.app_backend.SlackSignature;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import dev.clearance.cards.Actions;
import dev.clearance.core.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Slack adapter in process, in Bolt's own way: the Bolt {@code App} with the adapter's handlers registered, and
 * signed requests with real Slack payloads (fixtures/slack) run through {@code app.run}; the core's services are the
 * real ones over {@link InMemoryCore}, Slack's Web API is {@link FakeSlackWeb}.
 */
class SlackInteractionsTest {
    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final InMemoryCore core = new InMemoryCore();
    private FakeSlackWeb web;
    private App app;

    @BeforeEach
    void start() throws IOException {
        web = new FakeSlackWeb();
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(web.methods());
        config.setStatsEnabled(false);
        Slack slack = Slack.getInstance(config);
        SlackApi api = new SlackApi(slack, "xoxb-test", Set.of("localhost"));
        SlackIdentities identities = new SlackIdentities(api, new SlackMembership(api, List.of()), core.directory, core.clock,
                Duration.ofHours(1));
        app = new App(AppConfig.builder().slack(slack).singleTeamBotToken("xoxb-test").signingSecret(SECRET).build());
        // work after the ack runs at once here, so that what a click did is there to see when run returns
        new SlackInteractions(core.service, core.queries, core.views, identities, api, Runnable::run).register(app);
    }

    @AfterEach
    void stop() {
        web.close();
    }

    @Test
    void helpAndAnEmptyCommandShowTheUsage() throws Exception {
        for (String text : List.of("help", "")) {
            JsonNode reply = ephemeral(command("UBOB", text));
            assertThat(reply.get("text").asString()).startsWith("*Clearance* — just-in-time access")
                    .contains("`/access request` — ask for access (opens a form)", "`/access pending [page]`",
                            "`/access whoapproves <resource> <account>`", "`/access help` — this text")
                    .doesNotContain("channelid");
        }
    }

    @Test
    void anUnknownCommandIsAnsweredWithTheUsageAndQuotedSafely() throws Exception {
        assertThat(ephemeral(command("UBOB", "dance")).get("text").asString())
                .startsWith("I don't know `dance`.\n*Clearance*").contains("`/access show <id>`");
        assertThat(ephemeral(command("UBOB", "<!channel>")).toString()).doesNotContain("<!channel>").contains("&lt;!channel&gt;");
    }

    @Test
    void pendingOffersApproveAndDenyOnlyToWhoMayDecide() throws Exception {
        String id = core.pending("bob", "ec2:DeleteVolume");
        String olga = ephemeral(command("UOLGA", "pending")).toString();
        assertThat(olga).contains(id, "\"action_id\":\"clearance.approve\"", "\"action_id\":\"clearance.deny\"");
        String bob = ephemeral(command("UBOB", "pending")).toString();
        assertThat(bob).as("the requester sees their own, without buttons").contains(id).doesNotContain("clearance.approve");
        assertThat(ephemeral(command("USAM", "pending")).toString()).contains("Nothing pending").doesNotContain(id);
        assertThat(ephemeral(command("UBOB", "pending two")).get("text").asString()).contains("usage: pending [page number]");
    }

    @Test
    void showGivesTheAuditTrailToWhoMaySeeIt() throws Exception {
        String id = core.pending("bob", "ec2:CreateImage");
        assertThat(ephemeral(command("UBOB", "show " + id)).toString()).contains(id, "Audit trail");
        assertThat(ephemeral(command("USAM", "show " + id)).get("text").asString())
                .startsWith(":warning: ").contains("Only the requester and the approvers or admins").doesNotContain("ec2:CreateImage");
        assertThat(ephemeral(command("UBOB", "show")).get("text").asString()).isEqualTo(":warning: usage: /access show &lt;id&gt;");
    }

    @Test
    void cancelAndWhoApprovesAnswerInSlacksWords() throws Exception {
        String id = core.pending("bob", "ec2:CopyImage");
        assertThat(ephemeral(command("UBOB", "cancel " + id)).get("text").asString()).isEqualTo("Request `" + id + "` withdrawn.");
        assertThat(core.status(id)).isEqualTo(Status.CANCELLED);
        assertThat(ephemeral(command("UBOB", "whoapproves s3:DeleteBucket 123456789012")).get("text").asString())
                .contains("(scope `org/prod`)", "pat@example.com");
    }

    @Test
    void requestOpensTheFormAndAcksWithNothing() throws Exception {
        Response r = command("UBOB", "request");
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).isNullOrEmpty();
        assertThat(web.to("/views.open")).singleElement().satisfies(c -> assertThat(c.body()).contains("clearance.request.modal"));
    }

    @Test
    void aRequestWithABadSignatureIsRefusedAndChangesNothing() throws Exception {
        String id = core.pending("bob", "ec2:DeleteSnapshot");
        String body = slashCommandBody("UBOB", "cancel " + id);
        String ts = Long.toString(Instant.now().getEpochSecond());
        String forged = new SlackSignature.Generator("another-secret").generate(ts, body);
        assertThat(new SlackSignatureFilter(SECRET, java.time.Clock.systemUTC()).isValid(ts, body, forged))
                .as("the filter in front of /slack/events refuses it").isFalse();
        assertThat(app.run(parse(body, ts, forged)).getStatusCode()).as("and so does Bolt").isEqualTo(401);
        assertThat(core.status(id)).isEqualTo(Status.PENDING);
    }

    @Test
    void anApproveClickFromSomeoneWhoMayNotDecideIsExplainedToThemAlone() throws Exception {
        String id = core.pending("bob", "ec2:DeleteImage");
        Response r = run(blockAction("USAM", Actions.APPROVE, id));
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(web.to("/views.open")).as("no form opens").isEmpty();
        assertThat(web.to("/respond")).singleElement().satisfies(c -> {
            JsonNode reply = JSON.readTree(c.body());
            assertThat(reply.get("response_type").asString()).isEqualTo("ephemeral");
            assertThat(reply.get("text").asString()).startsWith(":warning: ").doesNotContain("ec2:DeleteImage");
        });
        assertThat(core.status(id)).isEqualTo(Status.PENDING);

        run(blockAction("UOLGA", Actions.APPROVE, id));
        assertThat(web.to("/views.open")).as("olga may decide: the form opens").singleElement()
                .satisfies(c -> assertThat(c.body()).contains(id));
    }

    // ------------------------------------------------------------------ requests as Slack sends them

    /** fixtures/slack/slash_command.form.txt as {@code /access <text>} from {@code userId}. */
    private static String slashCommandBody(String userId, String text) throws IOException {
        return fixture("slash_command.form.txt").replace("command=%2Ftestcommand", "command=%2Faccess")
                .replace("user_id=U01NK1K9L68", "user_id=" + userId)
                .replace("text=&", "text=" + URLEncoder.encode(text, StandardCharsets.UTF_8) + "&");
    }

    private Response command(String userId, String text) throws Exception {
        return run(slashCommandBody(userId, text));
    }

    /** fixtures/slack/block_actions_button.json with the click on {@code actionId} (value {@code requestId}) by {@code userId}. */
    private String blockAction(String userId, String actionId, String requestId) throws IOException {
        ObjectNode payload = (ObjectNode) JSON.readTree(fixture("block_actions_button.json"));
        ((ObjectNode) payload.get("user")).put("id", userId);
        payload.put("response_url", web.responseUrl());
        ObjectNode action = (ObjectNode) payload.get("actions").get(0);
        action.put("action_id", actionId);
        action.put("value", requestId);
        return "payload=" + URLEncoder.encode(JSON.writeValueAsString(payload), StandardCharsets.UTF_8);
    }

    /** Signed now with the app's secret, as Slack does. */
    private Response run(String body) throws Exception {
        String ts = Long.toString(Instant.now().getEpochSecond());
        return app.run(parse(body, ts, new SlackSignature.Generator(SECRET).generate(ts, body)));
    }

    private com.slack.api.bolt.request.Request<?> parse(String body, String ts, String signature) {
        RequestHeaders headers = new RequestHeaders(Map.of(
                "content-type", List.of("application/x-www-form-urlencoded"),
                SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP, List.of(ts),
                SlackSignature.HeaderNames.X_SLACK_SIGNATURE, List.of(signature)));
        return new SlackRequestParser(app.config()).parse(SlackRequestParser.HttpRequest.builder()
                .requestUri("/slack/events").requestBody(body).headers(headers).remoteAddress("127.0.0.1").build());
    }

    private static JsonNode ephemeral(Response r) {
        assertThat(r.getStatusCode()).isEqualTo(200);
        JsonNode reply = JSON.readTree(r.getBody());
        assertThat(reply.get("response_type").asString()).isEqualTo("ephemeral");
        return reply;
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = SlackInteractionsTest.class.getResourceAsStream("/fixtures/slack/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
