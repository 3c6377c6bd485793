package bench.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook receiver that is slow to grant and keeps state like a real access system: the set of request ids it holds
 * access for. A {@code grant} sleeps a random 0 to {@code maxGrantMillis} (the remote system being slow), then adds
 * the id and answers 204; a {@code revoke} removes it at once. Each change is applied when it happens, as a naive
 * receiver would: a revoke that arrives while that request's grant still sleeps is applied first, and the grant then
 * puts the access back. Whether that happens is up to the caller, which is what {@link RaceBench} measures.
 * <p>
 * It verifies nothing (no signature check): it runs on loopback for the benchmark only. Every time is
 * {@link System#nanoTime()}, the same clock the runner's client uses.
 */
final class SlowReceiver implements AutoCloseable {
    private static final Pattern FIELD = Pattern.compile("\"(action|requestId)\"\\s*:\\s*\"([^\"]*)\"");

    /** What happened to one request at the receiver. Times are {@code System.nanoTime()}, 0 when it did not happen. */
    static final class Timeline {
        volatile long grantArrived;
        volatile long grantFinished;
        volatile long revokeArrived;
        final AtomicInteger grants = new AtomicInteger();
        final AtomicInteger revokes = new AtomicInteger();
        /** Grants of this request sleeping now; a revoke that finds one is overtaking it. */
        final AtomicInteger grantsSleeping = new AtomicInteger();
        /** Revokes that arrived while a grant of this request was still sleeping. */
        final AtomicInteger overtook = new AtomicInteger();
        /** Grant calls that arrived after a revoke of this request had (the revoke went before the grant altogether). */
        final AtomicInteger grantsAfterRevoke = new AtomicInteger();

        @Override
        public String toString() {
            return "grant calls " + grants + ", revoke calls " + revokes + ", revokes that overtook a sleeping grant "
                    + overtook + ", grant calls after a revoke " + grantsAfterRevoke;
        }
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final long maxGrantMillis;
    private final Random random;
    /** The receiver's state: the request ids it holds access for now. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    final Map<String, Timeline> timelines = new ConcurrentHashMap<>();
    final AtomicInteger grantCalls = new AtomicInteger();
    final AtomicInteger revokeCalls = new AtomicInteger();
    final AtomicInteger reconcileCalls = new AtomicInteger();
    final AtomicInteger otherCalls = new AtomicInteger();
    private final AtomicInteger sleeping = new AtomicInteger();

    SlowReceiver(long maxGrantMillis, long seed) throws IOException {
        this.maxGrantMillis = maxGrantMillis;
        this.random = new Random(seed);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/", this::handle);
        // far more threads than Clearance makes calls at once (8 timer threads): the receiver is never the bottleneck
        pool = Executors.newFixedThreadPool(128);
        server.setExecutor(pool);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/access";
    }

    /** The ids the receiver holds access for now. */
    List<String> held() {
        return new ArrayList<>(held);
    }

    /** Grant calls that are still sleeping. */
    int sleeping() {
        return sleeping.get();
    }

    Timeline timeline(String requestId) {
        return timelines.computeIfAbsent(requestId, k -> new Timeline());
    }

    private long nextSleep() {
        synchronized (random) {
            // uniform over [0, max]; the seeded sequence is shared by the calls in their arrival order
            return (long) (random.nextDouble() * maxGrantMillis);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        long arrived = System.nanoTime();
        try (x) {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> f = new HashMap<>();
            Matcher m = FIELD.matcher(body);
            while (m.find()) {
                f.put(m.group(1), m.group(2));
            }
            String action = f.getOrDefault("action", "");
            String id = f.get("requestId");
            x.getResponseHeaders().add("Connection", "close");
            switch (action) {
                case "grant" -> {
                    grantCalls.incrementAndGet();
                    Timeline t = timeline(id);
                    t.grants.incrementAndGet();
                    if (t.revokes.get() > 0) {
                        t.grantsAfterRevoke.incrementAndGet();
                    }
                    synchronized (t) {
                        if (t.grantArrived == 0) {
                            t.grantArrived = arrived;
                        }
                    }
                    t.grantsSleeping.incrementAndGet();
                    sleeping.incrementAndGet();
                    try {
                        Thread.sleep(nextSleep());
                        held.add(id); // applied when the slow system gets to it, whatever arrived meanwhile
                        t.grantFinished = System.nanoTime();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        x.sendResponseHeaders(503, -1);
                        return;
                    } finally {
                        t.grantsSleeping.decrementAndGet();
                        sleeping.decrementAndGet();
                    }
                    x.sendResponseHeaders(204, -1);
                }
                case "revoke" -> {
                    revokeCalls.incrementAndGet();
                    Timeline t = timeline(id);
                    t.revokes.incrementAndGet();
                    if (t.grantsSleeping.get() > 0) {
                        t.overtook.incrementAndGet();
                    }
                    held.remove(id);
                    synchronized (t) {
                        if (t.revokeArrived == 0) {
                            t.revokeArrived = arrived;
                        }
                    }
                    x.sendResponseHeaders(204, -1);
                }
                case "reconcile" -> {
                    reconcileCalls.incrementAndGet();
                    StringBuilder s = new StringBuilder("{\"held\":[");
                    String sep = "";
                    for (String h : held) {
                        s.append(sep).append("{\"requestId\":\"").append(h).append("\"}");
                        sep = ",";
                    }
                    byte[] answer = s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
                    x.getResponseHeaders().add("Content-Type", "application/json");
                    x.sendResponseHeaders(200, answer.length);
                    x.getResponseBody().write(answer);
                }
                default -> {
                    // extend and anything newer: accepted, changes nothing here
                    otherCalls.incrementAndGet();
                    x.sendResponseHeaders(204, -1);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
