package dev.clearance.app.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** WireMock playing the Slack Web API, with a small workspace: Slack ids for the example policy's people. */
public final class FakeSlack {
    /** The workspace the bot token is installed in (auth.test), and every user's home workspace. */
    public static final String TEAM = "T0ACME";
    static final Map<String, String> USERS = new LinkedHashMap<>();

    static {
        for (String name : List.of("alice", "bob", "olga", "pat", "pia", "sam", "sue", "sid", "root", "zed")) {
            USERS.put("U" + name.toUpperCase(), name + "@example.com");
        }
    }

    private final History history = new History();
    final WireMockServer server = new WireMockServer(options().dynamicPort().globalTemplating(true)
            .extensions(history, new Post()));

    public FakeSlack() {
        history.server = server;
        server.start();
        stubWorkspace();
    }

    public String apiUrl() {
        return server.baseUrl() + "/api/";
    }

    void stubWorkspace() {
        server.resetAll();
        server.stubFor(post("/api/auth.test").willReturn(okJson(
                "{\"ok\":true,\"url\":\"https://acme.slack.com/\",\"team\":\"Acme\",\"user\":\"clearance\",\"team_id\":\"T0ACME\",\"user_id\":\"UBOT\",\"bot_id\":\"BBOT\"}")));
        USERS.forEach((id, email) -> {
            String name = email.substring(0, email.indexOf('@'));
            server.stubFor(post("/api/users.info").withRequestBody(containing("user=" + id)).willReturn(okJson(
                    "{\"ok\":true,\"user\":{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"real_name\":\"" + name
                            + "\",\"team_id\":\"" + TEAM + "\",\"profile\":{\"email\":\"" + email + "\"}}}")));
            server.stubFor(post("/api/users.lookupByEmail").withRequestBody(containing("email=" + name + "%40example.com"))
                    .willReturn(okJson("{\"ok\":true,\"user\":{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"team_id\":\"" + TEAM + "\",\"profile\":{\"email\":\""
                            + email + "\"}}}")));
            server.stubFor(post("/api/conversations.open").withRequestBody(containing("users=" + id))
                    .willReturn(okJson("{\"ok\":true,\"channel\":{\"id\":\"D" + id.substring(1) + "\"}}")));
        });
        server.stubFor(post("/api/users.lookupByEmail").atPriority(10).willReturn(okJson("{\"ok\":false,\"error\":\"users_not_found\"}")));
        server.stubFor(post("/api/chat.postMessage").atPriority(10).willReturn(aResponse().withTransformers(Post.NAME)));
        server.stubFor(post("/api/chat.update").atPriority(10).willReturn(okJson("{\"ok\":true}")));
        server.stubFor(post(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/actions/.*")).atPriority(10)
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        server.stubFor(post("/api/conversations.history").atPriority(10).willReturn(aResponse().withTransformers(History.NAME)));
        server.stubFor(post("/api/chat.postEphemeral").atPriority(10).willReturn(okJson("{\"ok\":true,\"message_ts\":\"1.2\"}")));
        server.stubFor(post("/api/views.open").atPriority(10).willReturn(okJson("{\"ok\":true,\"view\":{\"id\":\"V1\"}}")));
    }

    /** Where an interaction's replies go: Slack's response_url for that click (who clicked, and where). */
    String responseUrl(String userId, String channel) {
        return server.baseUrl() + "/actions/" + userId + "/" + channel;
    }

    /** Replies sent through response_url, oldest first: {user, channel, text, response_type}. */
    List<Map<String, String>> responses() {
        return server.findAll(postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/actions/.*")))
                .stream().map(r -> {
                    String[] path = r.getUrl().split("/");
                    tools.jackson.databind.JsonNode body = tools.jackson.databind.json.JsonMapper.builder().build()
                            .readTree(r.getBodyAsString());
                    Map<String, String> reply = new LinkedHashMap<>();
                    reply.put("user", path[2]);
                    reply.put("channel", path[3]);
                    reply.put("text", body.path("text").asString());
                    reply.put("response_type", body.path("response_type").asString());
                    return reply;
                }).toList();
    }

    /** Everyone has a Slack account: an id made from their email, and a DM channel made from that id. */
    public void stubAnyone() {
        server.stubFor(post("/api/users.lookupByEmail").atPriority(5).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{{formData request.body 'form' urlDecode=true}}{\"ok\":true,\"user\":{\"id\":\"U{{form.email}}\","
                        + "\"team_id\":\"" + TEAM + "\",\"profile\":{\"email\":\"{{form.email}}\"}}}")));
        server.stubFor(post("/api/conversations.open").atPriority(5).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{{formData request.body 'form' urlDecode=true}}{\"ok\":true,\"channel\":{\"id\":\"D{{form.users}}\"}}")));
    }

    /** Calls {@code listener} with the URL and body of every request, as it arrives. */
    public void onRequest(java.util.function.BiConsumer<String, String> listener) {
        server.addMockServiceRequestListener((request, response) -> listener.accept(request.getUrl(), request.getBodyAsString()));
    }

    public void stop() {
        server.stop();
    }

    /** Form fields of every call to a method, decoded. */
    public List<Map<String, String>> calls(String method) {
        return server.findAll(postRequestedFor(urlEqualTo("/api/" + method))).stream().map(FakeSlack::form).toList();
    }

    List<Map<String, String>> calls(String method, String channel) {
        return calls(method).stream().filter(c -> channel.equals(c.get("channel"))).toList();
    }

    static Map<String, String> form(LoggedRequest r) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : r.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    static String dm(String userId) {
        return "D" + userId.substring(1);
    }

    /**
     * chat.postMessage as Slack answers it: the message's ts is the time it was posted, to the microsecond, and unique
     * in the workspace. (A ts of whole seconds plus random digits could sort before the moment the outbox enqueued the
     * message, and a history read from that moment would then miss the post.)
     */
    static final class Post implements com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2 {
        static final String NAME = "slack-post";
        private static final java.util.concurrent.atomic.AtomicLong LAST_MICROS = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public com.github.tomakehurst.wiremock.http.ResponseDefinition transform(
                com.github.tomakehurst.wiremock.stubbing.ServeEvent event) {
            java.time.Instant now = java.time.Instant.now();
            long wanted = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
            long micros = LAST_MICROS.updateAndGet(last -> Math.max(last + 1, wanted));
            String ts = (micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000);
            String channel = form(event.getRequest()).getOrDefault("channel", "");
            return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + ts + "\"}").build();
        }
    }

    /**
     * conversations.history as Slack answers it, from what was really posted: every chat.postMessage in the channel
     * since {@code oldest}, with its ts and its metadata (Slack keeps a message's metadata and returns it with
     * {@code include_all_metadata}).
     */
    static final class History implements com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2 {
        static final String NAME = "slack-history";
        private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
        volatile WireMockServer server;

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public com.github.tomakehurst.wiremock.http.ResponseDefinition transform(
                com.github.tomakehurst.wiremock.stubbing.ServeEvent event) {
            Map<String, String> asked = form(event.getRequest());
            String channel = asked.get("channel");
            double oldest = asked.get("oldest") == null ? 0 : Double.parseDouble(asked.get("oldest"));
            tools.jackson.databind.node.ObjectNode answer = JSON.createObjectNode().put("ok", true).put("has_more", false);
            tools.jackson.databind.node.ArrayNode messages = answer.putArray("messages");
            for (var posted : server.getAllServeEvents()) {
                if (!posted.getRequest().getUrl().endsWith("/chat.postMessage") || posted.getResponse() == null) {
                    continue;
                }
                Map<String, String> form = form(posted.getRequest());
                if (!java.util.Objects.equals(channel, form.get("channel"))) {
                    continue;
                }
                String ts = JSON.readTree(posted.getResponse().getBodyAsString()).path("ts").asString();
                if (ts.isEmpty() || Double.parseDouble(ts) < oldest) {
                    continue;
                }
                tools.jackson.databind.node.ObjectNode m = messages.addObject().put("type", "message").put("ts", ts)
                        .put("text", form.getOrDefault("text", ""));
                if (form.get("metadata") != null) {
                    m.set("metadata", JSON.readTree(form.get("metadata")));
                }
            }
            return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(answer.toString()).build();
        }
    }
}
