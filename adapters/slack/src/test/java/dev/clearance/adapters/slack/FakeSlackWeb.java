package dev.clearance.adapters.slack;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Slack's Web API and response URLs on a local port, for Bolt and {@link SlackApi}: {@code auth.test} names the
 * fixtures' workspace ({@code T01ND2P8N91}, "opsdroidtests"), every other method answers ok, and every call is kept.
 */
final class FakeSlackWeb implements AutoCloseable {
    static final String TEAM = "T01ND2P8N91";

    record Call(String path, String body) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    FakeSlackWeb() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            calls.add(new Call(path, body.startsWith("{") ? body : URLDecoder.decode(body, StandardCharsets.UTF_8)));
            String answer = path.endsWith("/auth.test")
                    ? "{\"ok\":true,\"url\":\"https://opsdroidtests.slack.com/\",\"team\":\"opsdroidtests\",\"user\":\"clearance\","
                    + "\"team_id\":\"" + TEAM + "\",\"user_id\":\"UCLEARANCE\",\"bot_id\":\"BCLEARANCE\",\"is_enterprise_install\":false}"
                    : "{\"ok\":true}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** Where the Web API methods are: {@code http://localhost:…/api/}. */
    String methods() {
        return base() + "/api/";
    }

    /** An interaction's response URL here. */
    String responseUrl() {
        return base() + "/actions/" + TEAM + "/1/respond";
    }

    private String base() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    List<Call> to(String pathEnd) {
        return calls.stream().filter(c -> c.path().endsWith(pathEnd)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
