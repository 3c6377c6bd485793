package bench.runner;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The seconds-long smoke that keeps the benchmark's load generator working; the benchmark itself is scripts/bench.sh. */
class LoadGeneratorSmokeTest {
    private HttpServer server;
    private final AtomicBoolean stallOnce = new AtomicBoolean();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            if (stallOnce.compareAndSet(true, false)) {
                sleep(400);
            }
            byte[] body = "{\"ok\":true}".getBytes();
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // one worker thread: a stall holds up everything behind it, as a saturated server does
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpRequest request(int i) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/r/" + i))
                .POST(HttpRequest.BodyPublishers.ofString("{\"i\":" + i + "}")).build();
    }

    @Test
    void fixedRateSendsOnScheduleAndAnswersAreCounted() {
        LoadGenerator.Result r = new LoadGenerator(201).fixedRate(this::request, 200, Duration.ofSeconds(1), 64);
        assertThat(r.sent()).isEqualTo(200);
        assertThat(r.ok()).isEqualTo(200);
        assertThat(r.latencyMicros().getTotalCount()).isEqualTo(200);
    }

    @Test
    void aStallIsChargedToEveryRequestThatWaitedBehindIt() {
        new LoadGenerator(201).fixedRate(this::request, 100, Duration.ofMillis(300), 64); // warm the connections
        stallOnce.set(true);
        LoadGenerator.Result r = new LoadGenerator(201).fixedRate(this::request, 100, Duration.ofSeconds(1), 64);
        // 400 ms stall at 100/s: about 40 requests were due during it; a generator that timed from the send of the
        // next request after the stall would see one slow request, not the p10 and above
        assertThat(r.latencyMicros().getValueAtPercentile(80)).isGreaterThan(100_000);
        assertThat(r.ok()).isEqualTo(100);
    }

    @Test
    void closedModelKeepsTheConcurrencyAndCountsFailures() {
        LoadGenerator.Result ok = new LoadGenerator(201).maxThroughput(this::request, 4, Duration.ofMillis(500));
        assertThat(ok.ok()).isGreaterThan(10);
        assertThat(ok.failed()).isZero();
        LoadGenerator.Result wrong = new LoadGenerator(200).maxThroughput(this::request, 2, Duration.ofMillis(200));
        assertThat(wrong.failed()).isEqualTo(wrong.sent());
        assertThat(wrong.firstFailure()).startsWith("201");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
