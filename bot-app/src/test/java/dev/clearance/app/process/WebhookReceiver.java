package dev.clearance.app.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The access provider's side of the signed webhook, as a naive real receiver: it keeps the set of request ids it holds
 * access for (a grant adds, a revoke removes), answers the {@code reconcile} call with that set, and remembers every
 * call it was sent. Changes are applied in the order the calls finish, whoever sent them and whether or not the caller
 * is still there to hear the answer.
 * <p>
 * A test can make it slow: a call can be held at a {@link Gate} (one request's grant or revoke, or the next reconcile
 * call) until the test opens it (the change is applied and answered) or drops it (lost on the way: never applied,
 * never answered), and every grant can take a fixed extra delay. By default every call is applied and answered at once.
 */
public final class WebhookReceiver implements AutoCloseable {
    public static final String SECRET = "crash-test-webhook-secret-0123456789";
    private final HttpServer server;
    private final ExecutorService pool;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Applied> applied = new CopyOnWriteArrayList<>();
    private final JsonMapper json = JsonMapper.builder().build();
    /** Request id to what is held for it; guarded by {@code this} together with {@link #grantsInProgress}. */
    private final Map<String, String> held = new TreeMap<>();
    /** How many grant calls per request id have arrived and are neither applied nor dropped yet. */
    private final Map<String, Integer> grantsInProgress = new TreeMap<>();
    private final List<String> overtaken = new CopyOnWriteArrayList<>();
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private volatile Duration grantDelay = Duration.ZERO;

    /**
     * @param action    grant, revoke, extend or reconcile
     * @param requestId null for reconcile
     * @param sender    the last path segment of the URL the call went to (see {@link #url(String)}): which instance
     */
    public record Call(String action, String requestId, String expiresAt, String sender, Instant at) {
    }

    /** A change the receiver made to what it holds, in the order made. */
    public record Applied(String action, String requestId, String sender, Instant at) {
    }

    /** Where calls wait until the test lets them through (applied and answered) or drops them (lost). */
    public static final class Gate {
        private final CountDownLatch released = new CountDownLatch(1);
        private final Set<String> waiting = ConcurrentHashMap.newKeySet();
        private final java.util.function.Consumer<Gate> onRelease;
        private volatile boolean apply = true;

        private Gate(java.util.function.Consumer<Gate> onRelease) {
            this.onRelease = onRelease;
        }

        /** The calls waiting here go through; later ones no longer wait. */
        public void open() {
            release(true);
        }

        /** The calls waiting here are lost, as if the network dropped them: never applied, never answered. */
        public void drop() {
            release(false);
        }

        /** Whether a call is waiting here now. */
        public boolean hasWaiting() {
            return !waiting.isEmpty();
        }

        private void release(boolean apply) {
            this.apply = apply;
            onRelease.accept(this);
            released.countDown();
        }

        /** Waits (bounded: a test never hangs here) and answers whether the call is to be applied. */
        private boolean pass(String who) throws InterruptedException {
            waiting.add(who);
            try {
                if (!released.await(5, TimeUnit.MINUTES)) {
                    return false;
                }
                return apply;
            } finally {
                waiting.remove(who);
            }
        }
    }

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // held calls each keep a thread: never let them starve the calls a test waits for
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "webhook-receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return url("access");
    }

    /** The URL for one sender (an instance): calls to it are recorded with {@code sender} as {@link Call#sender()}. */
    public String url(String sender) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + sender;
    }

    // ------------------------------------------------------------------ making it slow

    /** The next grant call for {@code requestId} (and any while this gate is closed) waits at the returned gate. */
    public Gate holdGrant(String requestId) {
        return hold("grant:" + requestId);
    }

    /** The next revoke call for {@code requestId} (and any while this gate is closed) waits at the returned gate. */
    public Gate holdRevoke(String requestId) {
        return hold("revoke:" + requestId);
    }

    /**
     * The next reconcile call waits at the first gate before the receiver looks at what it holds, then at the second
     * before it answers: a listing that is out of date by the time it arrives.
     */
    public Gate[] holdReconcile() {
        return new Gate[]{hold("reconcile:before"), hold("reconcile:after")};
    }

    /** Every grant call, once through its gate, is applied and answered only after this long. */
    public void grantDelay(Duration delay) {
        this.grantDelay = delay;
    }

    private Gate hold(String key) {
        Gate gate = new Gate(g -> gates.remove(key, g));
        gates.put(key, gate);
        return gate;
    }

    // ------------------------------------------------------------------ what it saw and holds

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Every request id a grant call was sent for, whether or not it was applied. */
    public List<String> granted() {
        return calls.stream().filter(c -> c.action().equals("grant")).map(Call::requestId).distinct().toList();
    }

    public boolean arrived(String action, String requestId) {
        return calls.stream().anyMatch(c -> c.action().equals(action) && requestId.equals(c.requestId()));
    }

    public synchronized boolean holds(String requestId) {
        return held.containsKey(requestId);
    }

    public synchronized Set<String> held() {
        return Set.copyOf(held.keySet());
    }

    public List<Applied> applied() {
        return List.copyOf(applied);
    }

    /**
     * Revoke calls that arrived while a grant call for the same request was still being worked on here: the revoke
     * overtook its grant (only a grant whose caller gave up on it, by a timeout, may legitimately be overtaken).
     */
    public List<String> overtaken() {
        return List.copyOf(overtaken);
    }

    /** A bounded wait for something the receiver sees (a call arriving, say); fails with {@code what}. */
    public static void await(BooleanSupplier condition, Duration limit, String what) {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            ChildApp.pause(50);
        }
    }

    // ------------------------------------------------------------------ the receiver

    private void handle(HttpExchange exchange) throws IOException {
        String sender = exchange.getRequestURI().getPath().replaceFirst(".*/", "");
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = json.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String action = body.get("action").asString();
        String requestId = text(body, "requestId");
        calls.add(new Call(action, requestId, text(body, "expiresAt"), sender, Instant.now()));
        try {
            byte[] answer = switch (action) {
                case "grant" -> grant(requestId, sender, body);
                case "revoke" -> revoke(requestId, sender);
                case "reconcile" -> reconcile();
                default -> new byte[0];
            };
            if (answer == null) {
                return; // dropped: closed unanswered, the caller hears nothing
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException callerGone) {
            // the caller was killed while this call was held: what was applied stays applied
        } finally {
            exchange.close();
        }
    }

    private byte[] grant(String requestId, String sender, JsonNode body) throws InterruptedException {
        synchronized (this) {
            grantsInProgress.merge(requestId, 1, Integer::sum);
        }
        boolean apply = false;
        try {
            Gate gate = gates.get("grant:" + requestId);
            apply = gate == null || gate.pass("grant " + requestId);
            if (apply && !grantDelay.isZero()) {
                Thread.sleep(grantDelay.toMillis());
            }
        } finally {
            synchronized (this) {
                grantsInProgress.merge(requestId, -1, (a, b) -> a + b == 0 ? null : a + b);
                if (apply) {
                    held.put(requestId, text(body, "resource") + " in " + text(body, "account") + " for "
                            + text(body, "requester"));
                    applied.add(new Applied("grant", requestId, sender, Instant.now()));
                }
            }
        }
        return apply ? new byte[0] : null;
    }

    private byte[] revoke(String requestId, String sender) throws InterruptedException {
        synchronized (this) {
            if (grantsInProgress.containsKey(requestId)) {
                overtaken.add(requestId);
            }
        }
        Gate gate = gates.get("revoke:" + requestId);
        if (gate != null && !gate.pass("revoke " + requestId)) {
            return null;
        }
        synchronized (this) {
            held.remove(requestId);
            applied.add(new Applied("revoke", requestId, sender, Instant.now()));
        }
        return new byte[0];
    }

    private byte[] reconcile() throws InterruptedException {
        Gate before = gates.get("reconcile:before");
        if (before != null && !before.pass("reconcile")) {
            return null;
        }
        ObjectNode answer = json.createObjectNode();
        ArrayNode list = answer.putArray("held");
        List<Map.Entry<String, String>> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(held.entrySet());
        }
        snapshot.forEach(e -> list.addObject().put("requestId", e.getKey()).put("description", e.getValue()));
        Gate after = gates.get("reconcile:after");
        if (after != null && !after.pass("reconcile")) {
            return null;
        }
        return json.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asString();
    }

    @Override
    public void close() {
        gates.values().forEach(Gate::drop);
        server.stop(0);
        pool.shutdownNow();
    }
}
