package dev.clearance.app.process;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** The access provider's side of the signed webhook: answers 200 and remembers every grant and revoke it was asked for. */
public final class WebhookReceiver implements AutoCloseable {
    public static final String SECRET = "crash-test-webhook-secret-0123456789";
    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final JsonMapper json = JsonMapper.builder().build();

    public record Call(String action, String requestId, String expiresAt) {
    }

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode body = json.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                calls.add(new Call(body.get("action").asString(), body.get("requestId").asString(),
                        body.get("expiresAt") == null || body.get("expiresAt").isNull() ? null : body.get("expiresAt").asString()));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/access";
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<String> granted() {
        return calls.stream().filter(c -> c.action().equals("grant")).map(Call::requestId).distinct().toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
