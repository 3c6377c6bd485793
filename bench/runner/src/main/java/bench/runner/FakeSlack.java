package bench.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Slack Web API as the benchmark needs it, answering at once: a workspace where user {@code UALICE} is
 * {@code alice@example.com}, DMs that open, and posts that get a timestamp. It counts calls per method, and notes when
 * each channel's first {@code chat.postMessage} arrived so delivery latency can be measured.
 */
final class FakeSlack implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong ts = new AtomicLong(1_700_000_000_000_000L);
    final Map<String, AtomicLong> calls = new java.util.concurrent.ConcurrentHashMap<>();
    /** channel → arrival (System.nanoTime) of its first post: a requester's DM channel is {@code D} + their user id. */
    final Map<String, Long> firstPost = new java.util.concurrent.ConcurrentHashMap<>();
    /** "channel|request id" → arrival of the first post, and of the first update, that names the request. */
    final Map<String, Long> firstPostOf = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<String, Long> firstUpdateOf = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("REQ-[A-Z0-9]+");

    /** How long each Web API call takes to answer: 0 on loopback; Slack itself takes tens to hundreds of ms. */
    private final long latencyMillis;

    FakeSlack() throws IOException {
        this(0, 0);
    }

    FakeSlack(int port, long latencyMillis) throws IOException {
        this.latencyMillis = latencyMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(latencyMillis > 0 ? 128 : 8));
        server.start();
    }

    /** Standalone, for profiling by hand: {@code java -cp … bench.runner.FakeSlack PORT} (SLACK_API_URL=http://127.0.0.1:PORT/api/). */
    public static void main(String[] args) throws IOException {
        FakeSlack fake = new FakeSlack(Integer.parseInt(args[0]), 0);
        System.out.println("fake Slack Web API at " + fake.apiUrl());
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    String responseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/actions/1";
    }

    static String userId(String email) {
        return "U" + email.substring(0, email.indexOf('@')).toUpperCase(Locale.ROOT);
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            answer(x);
        } catch (RuntimeException | IOException e) {
            // an exchange left open would hang the client: answer, and say why
            System.err.println("[fake slack] " + x.getRequestURI() + ": " + e);
            byte[] bytes = "{\"ok\":false,\"error\":\"fake_slack_failed\"}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(500, bytes.length);
            x.getResponseBody().write(bytes);
            x.close();
        }
    }

    private void answer(HttpExchange x) throws IOException {
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis); // the platform's own time to answer, as a real API call takes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String path = x.getRequestURI().getPath();
        String method = path.substring(path.lastIndexOf('/') + 1);
        calls.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
        Map<String, String> form = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String body = switch (method) {
            case "auth.test" -> "{\"ok\":true,\"url\":\"https://bench.slack.com/\",\"team\":\"Bench\",\"user\":\"clearance\","
                    + "\"team_id\":\"T0BENCH\",\"user_id\":\"U0BOT\",\"bot_id\":\"B0BOT\"}";
            case "users.info" -> {
                String id = form.getOrDefault("user", "UNKNOWN");
                yield "{\"ok\":true,\"user\":{\"id\":\"" + id + "\",\"team_id\":\"T0BENCH\",\"name\":\"" + id
                        + "\",\"profile\":{\"email\":\"" + id.substring(1).toLowerCase(Locale.ROOT) + "@example.com\"}}}";
            }
            case "users.lookupByEmail" -> "{\"ok\":true,\"user\":{\"id\":\"" + userId(form.getOrDefault("email", "x@y"))
                    + "\",\"team_id\":\"T0BENCH\"}}";
            case "conversations.open" -> "{\"ok\":true,\"channel\":{\"id\":\"D" + form.getOrDefault("users", "X") + "\"}}";
            case "chat.postMessage" -> {
                long arrived = System.nanoTime();
                firstPost.putIfAbsent(form.getOrDefault("channel", ""), arrived);
                noteRequests(firstPostOf, form, arrived);
                long t = ts.incrementAndGet();
                yield "{\"ok\":true,\"channel\":\"" + form.getOrDefault("channel", "C") + "\",\"ts\":\"" + (t / 1_000_000)
                        + "." + String.format("%06d", t % 1_000_000) + "\"}";
            }
            case "chat.update" -> {
                noteRequests(firstUpdateOf, form, System.nanoTime());
                yield "{\"ok\":true,\"channel\":\"" + form.getOrDefault("channel", "C") + "\",\"ts\":\""
                        + form.getOrDefault("ts", "1.0") + "\"}";
            }
            case "views.open", "views.update", "views.push" -> "{\"ok\":true,\"view\":{\"id\":\"V1\",\"hash\":\"h\"}}";
            default -> "{\"ok\":true}";
        };
        answerJson(x, body);
    }

    /** A 200 with a JSON body, as the fake platforms answer. */
    static void answerJson(HttpExchange x, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        // one request per connection: the JDK server sometimes left a reused connection without an answer (the
        // client then waits out its read timeout), which would measure the fake, not Clearance
        x.getResponseHeaders().add("Connection", "close");
        x.sendResponseHeaders(200, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private static void noteRequests(Map<String, Long> into, Map<String, String> form, long arrived) {
        String channel = form.getOrDefault("channel", "");
        java.util.regex.Matcher m = REQUEST_ID.matcher(form.getOrDefault("blocks", "") + form.getOrDefault("text", ""));
        while (m.find()) {
            into.putIfAbsent(channel + "|" + m.group(), arrived);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Waits until no Web API call came for two seconds (the outbox has delivered what the last phase enqueued). */
    void awaitQuiet() throws InterruptedException {
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < 2_000_000_000L) {
            long now = calls.values().stream().mapToLong(java.util.concurrent.atomic.AtomicLong::get).sum();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
            Thread.sleep(200);
        }
    }
}
