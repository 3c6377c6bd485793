package dev.clearance.adapters.teams;

import dev.clearance.core.testing.InMemoryCore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.bot.builder.BotAdapter;
import com.microsoft.bot.builder.InvokeResponse;
import com.microsoft.bot.builder.TurnContext;
import com.microsoft.bot.builder.TurnContextImpl;
import com.microsoft.bot.connector.authentication.MicrosoftAppCredentials;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.ActivityTypes;
import com.microsoft.bot.schema.AdaptiveCardInvokeResponse;
import com.microsoft.bot.schema.ConversationReference;
import com.microsoft.bot.schema.ResourceResponse;
import com.microsoft.bot.schema.Serialization;
import dev.clearance.cards.Actions;
import dev.clearance.core.model.Status;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Teams adapter in process: real activities (fixtures/teams) through {@link TeamsBot}'s turn, as botbuilder runs
 * it ({@code TurnContextImpl} over an adapter that keeps what the bot sends); the core's services are the real ones
 * over {@link InMemoryCore}. Every sender is known by their declared object id, and the service URL is a closed local
 * port, so nothing leaves the machine.
 */
class TeamsBotTest {
    private static final String TENANT = "a0e78124-8cd4-4887-a704-1d4c829cf888";
    private static final String NOWHERE = "http://127.0.0.1:9/";

    private final InMemoryCore core = new InMemoryCore();
    private final Conversations conversations = new Conversations();
    private final Recording adapter = new Recording();
    private final TeamsBot bot;

    TeamsBotTest() {
        TeamsConnector connector = new TeamsConnector(MicrosoftAppCredentials.empty(), core.clock);
        TeamsIdentities identities = new TeamsIdentities(connector, conversations, core.directory, core.clock, Duration.ofHours(1));
        bot = new TeamsBot(core.service, core.queries, core.views, conversations, connector, identities,
                new TeamsGate(List.of(TENANT), false));
        for (String name : List.of("bob", "olga", "sam")) {
            // their personal chats are known, with an email confirmed just now: no member lookup is due
            conversations.save(new TeamsConversations.Reference("aad-" + name, TENANT, "29:" + name, name, "a:" + name, NOWHERE,
                    "28:bot", name + "@example.com", core.clock.instant(), false));
        }
    }

    @Test
    void helpAndUnknownCommandsShowTheCommands() throws Exception {
        String help = say("bob", "help");
        assertThat(help).contains("**Clearance** — just-in-time access. Commands:", "**request** — ask for access (opens a form)",
                "**pending** [page] — requests waiting", "**whoapproves** <resource> <account>",
                "**channelid** — in a team channel: its id, to make it an approval channel", "**help** — this text");
        assertThat(help.indexOf("**channelid**")).as("Teams' own command before help").isLessThan(help.indexOf("**help**"));
        assertThat(say("bob", "<at>Clearance</at> dance")).contains("I don't know **dance**.", "**pending**");
        assertThat(say("bob", "channelid")).contains("Ask this in a team channel");
    }

    @Test
    void pendingShowAndCancel() throws Exception {
        String id = core.pending("bob", "ec2:DeleteVolume");
        assertThat(say("olga", "<at>Clearance</at> pending")).contains(id, "\"verb\":\"clearance.approve\"", "\"verb\":\"clearance.deny\"");
        assertThat(say("bob", "pending")).as("the requester sees it, without buttons").contains(id)
                .doesNotContain("clearance.approve");
        assertThat(say("sam", "pending")).contains("Nothing pending").doesNotContain(id);
        assertThat(say("bob", "show " + id)).contains("Audit trail", id);
        assertThat(say("sam", "show " + id)).contains("⚠ ", "Only the requester and the approvers or admins")
                .doesNotContain("ec2:DeleteVolume");
        assertThat(say("bob", "show")).contains("⚠ usage: show <id>");
        assertThat(say("bob", "cancel " + id)).contains("Request " + id + " withdrawn.").doesNotContain("`");
        assertThat(core.status(id)).isEqualTo(Status.CANCELLED);
    }

    @Test
    void requestSendsTheFormAndWhoApprovesTheDryRun() throws Exception {
        assertThat(say("bob", "request")).contains("\"verb\":\"clearance.request\"");
        assertThat(say("bob", "whoapproves s3:DeleteBucket 123456789012")).contains("(scope org/prod)", "pat@example.com");
    }

    @Test
    void aCardActionIsDecidedByTheRuleOfTheDecision() throws Exception {
        String id = core.pending("bob", "ec2:DeleteImage");
        assertThat(click("sam", Actions.APPROVE, Map.of("requestId", id))).contains("⚠ ").doesNotContain("ec2:DeleteImage");
        assertThat(click("olga", Actions.APPROVE, Map.of("requestId", id)))
                .as("from the pending list: the approval card, where the reason is given")
                .contains("Give a reason for your decision", "\"verb\":\"clearance.approve\"");
        assertThat(core.status(id)).isEqualTo(Status.PENDING);
        click("olga", Actions.APPROVE, Map.of("requestId", id, "reason", "scripted", "duration", "1h"));
        assertThat(core.status(id)).isEqualTo(Status.APPROVED);
    }

    // ------------------------------------------------------------------ activities as Teams sends them

    /** fixtures/teams/message_personal.json with {@code text} from {@code who}; the card the bot replies with. */
    private String say(String who, String text) throws IOException {
        ObjectNode a = activity("message_personal.json", who);
        a.put("text", text);
        List<Activity> sent = turn(a);
        assertThat(sent).singleElement().satisfies(r -> assertThat(r.getType()).isEqualTo(ActivityTypes.MESSAGE));
        return Serialization.toStringSilent(sent.get(0).getAttachments().get(0).getContent());
    }

    /**
     * fixtures/teams/playground_invoke_adaptivecard_action_personal.json with the verb and data of the click by
     * {@code who}; the card sent back in place of the clicked one.
     */
    private String click(String who, String verb, Map<String, String> data) throws IOException {
        ObjectNode a = activity("playground_invoke_adaptivecard_action_personal.json", who);
        ObjectNode action = (ObjectNode) a.path("value").path("action");
        action.put("verb", verb);
        action.set("data", Serialization.objectToTree(new LinkedHashMap<>(data)));
        List<Activity> sent = turn(a);
        assertThat(sent).singleElement().satisfies(r -> assertThat(r.getType()).isEqualTo(ActivityTypes.INVOKE_RESPONSE));
        InvokeResponse response = (InvokeResponse) sent.get(0).getValue();
        assertThat(response.getStatus()).isEqualTo(200);
        AdaptiveCardInvokeResponse card = (AdaptiveCardInvokeResponse) response.getBody();
        return Serialization.toStringSilent(card.getValue());
    }

    /** A fixture as sent by {@code who} of the configured tenant, its service URL a closed local port. */
    private static ObjectNode activity(String fixture, String who) throws IOException {
        ObjectNode a = (ObjectNode) Serialization.jsonToTree(fixture(fixture));
        ObjectNode from = (ObjectNode) a.get("from");
        from.put("aadObjectId", "aad-" + who);
        from.put("id", "29:" + who);
        a.put("serviceUrl", NOWHERE);
        ((ObjectNode) a.get("conversation")).put("tenantId", TENANT).put("id", "a:" + who);
        ((ObjectNode) a.get("channelData")).set("tenant", Serialization.objectToTree(Map.of("id", TENANT)));
        return a;
    }

    private List<Activity> turn(JsonNode json) {
        Activity activity = Serialization.treeToValue(json, Activity.class);
        adapter.sent.clear();
        bot.onTurn(new TurnContextImpl(adapter, activity)).join();
        return List.copyOf(adapter.sent);
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = TeamsBotTest.class.getResourceAsStream("/fixtures/teams/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** botbuilder's adapter seen from the bot: whatever it sends in a turn is kept. */
    private static final class Recording extends BotAdapter {
        final List<Activity> sent = new ArrayList<>();

        @Override
        public CompletableFuture<ResourceResponse[]> sendActivities(TurnContext context, List<Activity> activities) {
            sent.addAll(activities);
            return CompletableFuture.completedFuture(activities.stream().map(a -> new ResourceResponse("sent-" + sent.size()))
                    .toArray(ResourceResponse[]::new));
        }

        @Override
        public CompletableFuture<ResourceResponse> updateActivity(TurnContext context, Activity activity) {
            throw new UnsupportedOperationException("the bot answers; it updates nothing in a turn");
        }

        @Override
        public CompletableFuture<Void> deleteActivity(TurnContext context, ConversationReference reference) {
            throw new UnsupportedOperationException("the bot deletes nothing");
        }
    }

    /** The adapter's port, in memory. */
    private static final class Conversations implements TeamsConversations {
        private final Map<String, Reference> byAad = new LinkedHashMap<>();
        private final Map<String, Channel> channels = new LinkedHashMap<>();

        @Override
        public void save(Reference reference) {
            byAad.put(reference.aadObjectId(), reference);
        }

        @Override
        public Optional<Reference> byAadObjectId(String aadObjectId) {
            return Optional.ofNullable(byAad.get(aadObjectId));
        }

        @Override
        public Optional<Reference> byEmail(dev.clearance.core.model.UserEmail email) {
            return byAad.values().stream().filter(r -> email.value().equals(r.email())).findFirst();
        }

        @Override
        public Optional<Reference> byConversationId(String conversationId) {
            return byAad.values().stream().filter(r -> conversationId.equals(r.conversationId())).findFirst();
        }

        @Override
        public void saveChannel(Channel channel) {
            channels.put(channel.channelId(), channel);
        }

        @Override
        public Optional<Channel> channel(String channelId) {
            return Optional.ofNullable(channels.get(channelId));
        }
    }
}
