package bench.runner;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static bench.runner.Bench.TOKEN;
import static bench.runner.Bench.log;

/** Reads and idle cost with the store as the REST phases left it, and again after filling it with open requests. */
final class ScaleScenario {
    private final BenchReport report;
    private final BenchClient client;
    private final Duration phase;

    ScaleScenario(BenchReport report, BenchClient client, Duration phase) {
        this.report = report;
        this.client = client;
        this.phase = phase;
    }

    void measureReads(Child c, int column) throws Exception {
        client.awaitQuiet(c);
        LoadGenerator ok = new LoadGenerator(200);
        Duration shortPhase = phase.dividedBy(2);
        LoadGenerator.Result list = ok.fixedRate(i -> HttpRequest.newBuilder(URI.create(c.url("/api/v1/requests?size=20")))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), 20, shortPhase, 256);
        report.check(c, list);
        report.scale(column, "GET /requests first page at 20/s: p99", "ms", list.millis(99));
        for (String who : List.of("pat", "root", "nobody")) {
            LoadGenerator.Result pending = ok.fixedRate(i -> client.slashCommand(c, who + "@example.com", "pending"), 5,
                    shortPhase, 256);
            report.check(c, pending);
            String role = switch (who) {
                case "pat" -> "an approver";
                case "root" -> "an admin";
                default -> "someone with no role";
            };
            report.scale(column, "Slack `/access pending` for " + role + " at 5/s: p50", "ms", pending.millis(50));
            report.scale(column, "Slack `/access pending` for " + role + " at 5/s: p99", "ms", pending.millis(99));
        }
        LoadGenerator.Result intake = new LoadGenerator(201).fixedRate(i -> client.intake(c, "/api/v1/requests", false), 50,
                shortPhase, 256);
        report.check(c, intake);
        report.scale(column, "REST intake at 50/s: p50", "ms", intake.millis(50));
        client.awaitQuiet(c);
        long cpu0 = c.cpuMillis();
        Thread.sleep(10_000);
        report.scale(column, "idle CPU", "% of a core", (c.cpuMillis() - cpu0) / 100.0);
    }

    /** Fills the store to {@code n} open requests; one in ten is justified (PENDING), the rest await justification. */
    void fill(Child c, int n) throws Exception {
        log("filling the store with " + n + " open requests");
        LoadGenerator gen = new LoadGenerator(201);
        AtomicInteger sent = new AtomicInteger();
        while (sent.get() < n) {
            LoadGenerator.Result r = gen.maxThroughput(i -> client.intake(c, "/api/v1/requests", sent.incrementAndGet() % 10 == 0),
                    16, Duration.ofSeconds(5));
            report.check(c, r);
        }
        client.awaitQuiet(c);
    }
}
