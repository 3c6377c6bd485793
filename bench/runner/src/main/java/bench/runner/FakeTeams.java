package bench.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Bot Framework connector as the benchmark needs it, answering at once: a member lookup gives the email behind a
 * Teams user id ({@code 29:pat} is {@code pat@example.com}), and every send or update gets an activity id.
 */
final class FakeTeams implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong ids = new AtomicLong();
    final AtomicLong calls = new AtomicLong();

    FakeTeams() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** The service URL that activities carry: where the bot sends its replies and lookups. */
    String serviceUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/connector/";
    }

    static String userId(String email) {
        return "29:" + email.substring(0, email.indexOf('@')).toLowerCase(Locale.ROOT);
    }

    static String aadObjectId(String email) {
        return "00000000-0000-0000-0000-" + String.format("%012x", Math.abs((long) email.hashCode()));
    }

    private void handle(HttpExchange x) throws IOException {
        calls.incrementAndGet();
        x.getRequestBody().readAllBytes();
        String path = x.getRequestURI().getPath();
        String body;
        int members = path.indexOf("/members/");
        if (x.getRequestMethod().equals("GET") && members >= 0) {
            String user = java.net.URLDecoder.decode(path.substring(members + "/members/".length()), StandardCharsets.UTF_8);
            String email = user.substring(user.indexOf(':') + 1) + "@example.com";
            body = "{\"id\":\"" + user + "\",\"name\":\"" + email + "\",\"aadObjectId\":\"" + aadObjectId(email)
                    + "\",\"email\":\"" + email + "\",\"userPrincipalName\":\"" + email + "\",\"tenantId\":\"tenant-bench\"}";
        } else {
            body = "{\"id\":\"" + ids.incrementAndGet() + "\"}";
        }
        FakeSlack.answerJson(x, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
