package bench.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The access provider's side of the webhook: answers every call at once and notes, per request, when each grant and
 * revoke arrived and the {@code expiresAt} it carried. Revocation lag is a revoke's arrival minus that expiry.
 */
final class WebhookReceiver implements AutoCloseable {
    static final String SECRET = "bench-webhook-secret-0123456789abcdef";
    private static final Pattern FIELD = Pattern.compile("\"(action|requestId|expiresAt)\"\\s*:\\s*\"([^\"]*)\"");

    record Call(Instant arrived, Instant expiresAt) {
    }

    private final HttpServer server;
    final Map<String, Call> grants = new ConcurrentHashMap<>();
    final Map<String, Call> revokes = new ConcurrentHashMap<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/access";
    }

    private void handle(HttpExchange x) throws IOException {
        Instant arrived = Instant.now();
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> f = new java.util.HashMap<>();
        Matcher m = FIELD.matcher(body);
        while (m.find()) {
            f.put(m.group(1), m.group(2));
        }
        Instant expires = f.containsKey("expiresAt") ? Instant.parse(f.get("expiresAt")) : null;
        if ("grant".equals(f.get("action"))) {
            grants.putIfAbsent(f.get("requestId"), new Call(arrived, expires));
        } else if ("revoke".equals(f.get("action"))) {
            revokes.putIfAbsent(f.get("requestId"), new Call(arrived, expires));
        }
        x.getResponseHeaders().add("Connection", "close");
        x.sendResponseHeaders(204, -1);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
