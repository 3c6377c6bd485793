package dev.clearance.app.slack;

import dev.clearance.app.support.TimedAppTest;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Socket Mode, the README's quickstart path: with SLACK_APP_TOKEN the app calls apps.connections.open, connects to
 * the WebSocket URL it gets, and answers envelopes there. A local WebSocket server plays Slack's end.
 */
@TestPropertySource(properties = {"clearance.slack.bot-token=xoxb-test-token", "clearance.slack.app-token=xapp-test-token"})
class SlackSocketModeTest extends TimedAppTest {
    static final FakeSlack SLACK = new FakeSlack();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final BlockingQueue<String> FROM_APP = new LinkedBlockingQueue<>();
    static final BlockingQueue<WebSocket> CONNECTED = new LinkedBlockingQueue<>();
    static final WebSocketServer SLACK_SOCKET = new WebSocketServer(new InetSocketAddress("127.0.0.1", freePort())) {
        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            conn.send("{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"test\"},\"connection_info\":{\"app_id\":\"A1\"}}");
            CONNECTED.add(conn);
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            FROM_APP.add(message);
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
        }
    };

    static {
        SLACK_SOCKET.setReuseAddr(true);
        SLACK_SOCKET.start();
        SLACK.server.stubFor(post("/api/apps.connections.open").willReturn(okJson(
                "{\"ok\":true,\"url\":\"ws://127.0.0.1:" + SLACK_SOCKET.getPort() + "/link\"}")));
    }

    @DynamicPropertySource
    static void slackApi(DynamicPropertyRegistry registry) {
        registry.add("clearance.slack.api-url", SLACK::apiUrl);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        SLACK_SOCKET.stop(1000);
    }

    @Test
    void theAppConnectsAndAnswersASlashCommandEnvelope() throws Exception {
        WebSocket app = CONNECTED.poll(30, TimeUnit.SECONDS);
        assertThat(app).as("the app opened the Socket Mode connection").isNotNull();
        app.send("""
                {"envelope_id":"env-1","type":"slash_commands","accepts_response_payload":true,
                 "payload":{"token":"t","team_id":"T0ACME","team_domain":"acme","channel_id":"DBOB","channel_name":"directmessage",
                            "user_id":"UBOB","user_name":"bob","command":"/access","text":"help","api_app_id":"A1",
                            "is_enterprise_install":"false","response_url":"https://hooks.slack.com/commands/x","trigger_id":"tr-1"}}""");
        JsonNode ack = null;
        for (String message = FROM_APP.poll(30, TimeUnit.SECONDS); message != null; message = FROM_APP.poll(5, TimeUnit.SECONDS)) {
            JsonNode node = JSON.readTree(message);
            if ("env-1".equals(node.path("envelope_id").asString())) {
                ack = node;
                break;
            }
        }
        assertThat(ack).as("the envelope was acknowledged").isNotNull();
        assertThat(ack.toString()).contains("ephemeral", "/access request", "/access whoapproves");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
