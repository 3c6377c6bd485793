package dev.clearance.app.teams;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.clearance.app.support.Fixtures;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock playing the Bot Connector service (activities carry its URL as {@code serviceUrl}), and builders for the
 * activities Teams sends, from the playground captures in the test resources (fixtures/teams). A person {@code x} is Teams user
 * {@code 29:x}, AAD object {@code aad-x}, in personal conversation {@code a:x}, with email {@code x@example.com}.
 */
final class FakeTeams {
    static final JsonMapper JSON = JsonMapper.builder().build();
    final WireMockServer server = new WireMockServer(options().dynamicPort().globalTemplating(true));

    FakeTeams() {
        server.start();
        reset();
    }

    void reset() {
        server.resetAll();
        server.stubFor(post(urlPathMatching("/v3/conversations/[^/]+/activities(/[^/]+)?")).atPriority(10)
                .willReturn(okJson("{\"id\":\"act-{{randomValue length=8 type='ALPHANUMERIC'}}\"}")));
        server.stubFor(put(urlPathMatching("/v3/conversations/[^/]+/activities/[^/]+")).atPriority(10)
                .willReturn(okJson("{\"id\":\"{{request.pathSegments.[4]}}\"}")));
        String member = Fixtures.read("teams/connector_get_member_response.json");
        server.stubFor(get(urlPathMatching("/v3/conversations/[^/]+/members/29(:|%3A)[a-z]+")).atPriority(10)
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(member
                        .replace("\"9d3e08f9-a7ae-43aa-a4d3-de3f319a8a9c\"", "\"{{regexExtract request.path '29(?::|%3A)([a-z]+)' 'm'}}aad-{{m.0}}\"")
                        .replace("\"Larry.Brown@fabrikam.com\"", "\"{{m.0}}@example.com\"")
                        .replace("\"labrown@fabrikam.com\"", "\"{{m.0}}@example.com\"")
                        .replace("\"72f988bf-86f1-41af-91ab-2d7cd011db47\"", "\"" + TENANT + "\""))));
    }

    /** The tenant of the playground captures the activities are built from. */
    static final String TENANT = "00000000-0000-0000-0000-0000000000001";

    /** What the member lookup says of {@code who}: their object id, Entra {@code mail} and user principal name. */
    void member(String who, String objectId, String mail, String userPrincipalName) {
        server.stubFor(get(urlPathMatching("/v3/conversations/[^/]+/members/29(:|%3A)" + who)).atPriority(1)
                .willReturn(okJson("{\"id\":\"29:" + who + "\",\"objectId\":\"" + objectId + "\",\"name\":\"" + who
                        + "\",\"email\":\"" + mail + "\",\"userPrincipalName\":\"" + userPrincipalName + "\",\"tenantId\":\""
                        + TENANT + "\",\"userRole\":\"user\"}")));
    }

    /** How often the member lookup was asked about {@code who}. */
    long memberLookups(String who) {
        return server.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName().equals("GET"))
                .filter(e -> URLDecoder.decode(e.getRequest().getUrl(), StandardCharsets.UTF_8).endsWith("/members/29:" + who))
                .count();
    }

    /** An activity as if from another tenant (both places Teams names it). */
    static String fromTenant(String activity, String tenant) {
        ObjectNode a = (ObjectNode) JSON.readTree(activity);
        ((ObjectNode) a.get("conversation")).put("tenantId", tenant);
        ((ObjectNode) a.withObject("/channelData").withObject("/tenant")).put("id", tenant);
        return JSON.writeValueAsString(a);
    }

    String serviceUrl() {
        return server.baseUrl();
    }

    // ----- activities as Teams sends them

    String install(String who) {
        ObjectNode a = personal("teams/playground_conversationUpdate_personal.json", who);
        ObjectNode added = (ObjectNode) a.get("membersAdded").get(0);
        added.put("id", "29:" + who);
        added.put("aadObjectId", "aad-" + who);
        return JSON.writeValueAsString(a);
    }

    String message(String who, String text) {
        ObjectNode a = personal("teams/playground_message_personal.json", who);
        a.put("text", text);
        return JSON.writeValueAsString(a);
    }

    String invoke(String who, String verb, Map<String, String> data) {
        ObjectNode a = personal("teams/playground_invoke_adaptivecard_action_personal.json", who);
        ObjectNode action = (ObjectNode) a.get("value").get("action");
        action.put("verb", verb);
        ObjectNode d = JSON.createObjectNode();
        data.forEach(d::put);
        action.set("data", d);
        return JSON.writeValueAsString(a);
    }

    private ObjectNode personal(String fixture, String who) {
        ObjectNode a = (ObjectNode) JSON.readTree(Fixtures.read(fixture));
        a.put("serviceUrl", serviceUrl());
        ObjectNode from = (ObjectNode) a.get("from");
        from.put("id", "29:" + who);
        from.put("name", who);
        from.put("aadObjectId", "aad-" + who);
        ((ObjectNode) a.get("conversation")).put("id", "a:" + who);
        return a;
    }

    // ----- what the bot sent

    record Sent(String method, String conversation, String activityId, JsonNode body) {
        String card() {
            return body.at("/attachments/0/content").toString();
        }
    }

    List<Sent> sent() {
        return server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().contains("/activities"))
                .sorted(java.util.Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .map(FakeTeams::sent).toList();
    }

    /** Messages posted to (method POST) or updated in (PUT) a person's conversation. */
    List<Sent> to(String who, String method) {
        return sent().stream().filter(s -> s.conversation().equals("a:" + who) && s.method().equals(method)).toList();
    }

    private static Sent sent(ServeEvent e) {
        String[] path = URLDecoder.decode(e.getRequest().getUrl(), StandardCharsets.UTF_8).split("/");
        // /v3/conversations/{conversation}/activities[/{id}]
        return new Sent(e.getRequest().getMethod().getName().equals("PUT") ? "PUT" : "POST", path[3],
                path.length > 5 ? path[5] : null, JSON.readTree(e.getRequest().getBodyAsString()));
    }
}
