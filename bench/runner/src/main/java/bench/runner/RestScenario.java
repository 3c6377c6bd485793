package bench.runner;

import java.time.Duration;
import java.util.List;
import java.util.Map;


/** REST intake against the floor: the most it answers, then latency at fixed rates, and the requester's DM after each intake. */
final class RestScenario {
    private final BenchReport report;
    private final BenchClient client;
    private final Duration phase;
    private final FakeSlack slack;

    RestScenario(BenchReport report, BenchClient client, Duration phase, FakeSlack slack) {
        this.report = report;
        this.client = client;
        this.phase = phase;
        this.slack = slack;
    }

    void measure(Child f, Child c) throws Exception {
        LoadGenerator gen = new LoadGenerator(201);
        // warm-up, not recorded: both JITs compile the paths
        gen.maxThroughput(i -> client.intake(f, "/floor/requests", false), 16, Duration.ofSeconds(5));
        gen.maxThroughput(i -> client.intake(c, "/api/v1/requests", false), 16, Duration.ofSeconds(5));
        client.awaitQuiet(c);
        for (Child app : List.of(f, c)) {
            String path = app == f ? "/floor/requests" : "/api/v1/requests";
            Map<String, List<Double>> into = app == f ? report.floor : report.clearance;
            long cpu0 = app.cpuMillis();
            LoadGenerator.Result max = gen.maxThroughput(i -> client.intake(app, path, false), 32, phase);
            long cpu = app.cpuMillis() - cpu0;
            report.check(app, max);
            report.add(into, "REST intake, max throughput (32 in flight)", "req/s", max.throughput());
            report.add(into, "CPU per intake (at max throughput)", "ms", (double) cpu / Math.max(1, max.ok()));
            if (app == c) {
                client.awaitQuiet(c);
            }
        }
        for (int rate : new int[]{100, 300}) {
            for (Child app : List.of(f, c)) {
                String path = app == f ? "/floor/requests" : "/api/v1/requests";
                Map<String, List<Double>> into = app == f ? report.floor : report.clearance;
                client.trackDelivery = app == c && rate == 100;
                LoadGenerator.Result r = gen.fixedRate(i -> client.intake(app, path, false), rate, phase, 1024);
                client.trackDelivery = false;
                report.check(app, r);
                report.add(into, "REST intake at " + rate + "/s: p50", "ms", r.millis(50));
                report.add(into, "REST intake at " + rate + "/s: p99", "ms", r.millis(99));
                if (app == c) {
                    client.awaitQuiet(c);
                }
                if (app == c && rate == 100) {
                    deliveryLatency();
                }
            }
        }
    }

    /**
     * For the intakes of the 100/s phase: from sending the intake to the fake Slack receiving the requester's DM
     * (the justification prompt). It spans the intake's commit, the outbox's wake-up and the Slack calls before the
     * post (user lookup, conversation open), so it is an upper bound on commit → platform call.
     */
    private void deliveryLatency() {
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
        int missing = 0;
        for (Map.Entry<Integer, Long> e : client.intakeSent.entrySet()) {
            Long posted = slack.firstPost.get("D" + FakeSlack.userId("r" + e.getKey() + "@example.com"));
            if (posted == null) {
                missing++;
            } else {
                h.recordValue(Math.max(0, (posted - e.getValue()) / 1_000_000));
            }
        }
        client.intakeSent.clear();
        if (missing > 0) {
            report.notes.add(missing + " intakes of the 100/s phase got no DM");
        }
        report.add(report.clearance, "intake sent → requester's DM posted, at 100/s: p50", "ms", h.getValueAtPercentile(50));
        report.add(report.clearance, "intake sent → requester's DM posted, at 100/s: p99", "ms", h.getValueAtPercentile(99));
    }
}
