package bench.runner;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static bench.runner.Bench.log;

/**
 * Slack and Teams against a bare Bolt app and a bare Bot Framework adapter: acks, clicks and decisions at fixed rates,
 * and the time until approval requests and copy updates reach the fake Slack.
 */
final class ChatScenario {
    static final int CHAT_RATE = 200;
    /**
     * Decisions write (vote, audit, request, grant timer, outbox) and then cause a grant and copy updates: at 200/s
     * they exceed what the 2-core machine can do at all, so they are measured at a rate it sustains.
     */
    static final int DECISION_RATE = 50;

    private final BenchReport report;
    private final BenchClient client;
    private final Duration phase;
    private final FakeSlack slack;

    ChatScenario(BenchReport report, BenchClient client, Duration phase, FakeSlack slack) {
        this.report = report;
        this.client = client;
        this.phase = phase;
        this.slack = slack;
    }

    void measure(Child fc, Child c) throws Exception {
        log("chat: Slack and Teams at " + CHAT_RATE + "/s, decisions at " + DECISION_RATE + "/s");
        client.teamsInstall(c, "pat@example.com");
        LoadGenerator slackAck = new LoadGenerator(200, body -> body.contains("\"response_action\""));
        LoadGenerator teamsAnswer = new LoadGenerator(200, body -> body.contains("⚠") || body.contains("\\u26a0"));
        List<String> browsePool = pendingRequests(c, 200, 0);
        int decisions = (int) (DECISION_RATE * phase.toSeconds());
        // warm-up, not recorded: both apps compile their paths
        for (Child app : List.of(fc, c)) {
            slackAck.fixedRate(i -> client.slashCommand(app, "pat@example.com", "help"), 100, Duration.ofSeconds(3), 512);
            slackAck.fixedRate(i -> client.slackClick(app, browsePool.get(i % browsePool.size())), 100, Duration.ofSeconds(3), 512);
            teamsAnswer.fixedRate(i -> client.teamsInvoke(app, browsePool.get(i % browsePool.size()), null), 100, Duration.ofSeconds(3), 512);
        }
        client.awaitQuiet(c);
        long refusalsBefore = slack.calls.getOrDefault("1", new java.util.concurrent.atomic.AtomicLong()).get();
        for (Child app : List.of(fc, c)) {
            Map<String, List<Double>> into = app == fc ? report.floor : report.clearance;
            LoadGenerator.Result help = slackAck.fixedRate(i -> client.slashCommand(app, "pat@example.com", "help"), CHAT_RATE, phase, 1024);
            report.check(app, help);
            report.add(into, "Slack `/access help` ack at " + CHAT_RATE + "/s: p50", "ms", help.millis(50));
            report.add(into, "Slack `/access help` ack at " + CHAT_RATE + "/s: p99", "ms", help.millis(99));
            LoadGenerator.Result click = slackAck.fixedRate(i -> client.slackClick(app, browsePool.get(i % browsePool.size())),
                    CHAT_RATE, phase, 1024);
            report.check(app, click);
            report.add(into, "Slack Approve click (opens the decision form) at " + CHAT_RATE + "/s: p50", "ms", click.millis(50));
            report.add(into, "Slack Approve click (opens the decision form) at " + CHAT_RATE + "/s: p99", "ms", click.millis(99));
            LoadGenerator.Result browse = teamsAnswer.fixedRate(i -> client.teamsInvoke(app, browsePool.get(i % browsePool.size()), null),
                    CHAT_RATE, phase, 1024);
            report.check(app, browse);
            report.add(into, "Teams Approve invoke from a list (answers the decision card) at " + CHAT_RATE + "/s: p50", "ms", browse.millis(50));
            report.add(into, "Teams Approve invoke from a list (answers the decision card) at " + CHAT_RATE + "/s: p99", "ms", browse.millis(99));
        }
        long refusals = slack.calls.getOrDefault("1", new java.util.concurrent.atomic.AtomicLong()).get() - refusalsBefore;
        if (refusals > 0) {
            report.notes.add(refusals + " Slack clicks were refused (told through response_url)");
        }
        // decisions: each one approves a request of its own, so each phase gets fresh PENDING requests
        for (String platform : List.of("Slack", "Teams")) {
            List<String> toDecide = pendingRequests(c, decisions, platform.equals("Slack") ? DECISION_RATE : 0);
            Map<String, Long> decidedAt = new java.util.concurrent.ConcurrentHashMap<>();
            for (Child app : List.of(fc, c)) {
                Map<String, List<Double>> into = app == fc ? report.floor : report.clearance;
                LoadGenerator.Result r = (platform.equals("Slack") ? slackAck : teamsAnswer).fixedRate(i -> {
                    String id = toDecide.get(i % toDecide.size());
                    if (app == c) {
                        decidedAt.put(id, System.nanoTime());
                    }
                    return platform.equals("Slack") ? client.slackDecision(app, id) : client.teamsInvoke(app, id, "bench approval");
                }, DECISION_RATE, phase, 1024);
                report.check(app, r);
                String what = platform.equals("Slack") ? "Slack decision form submitted (approve)" : "Teams Approve with a reason (invoke)";
                report.add(into, what + " at " + DECISION_RATE + "/s: p50", "ms", r.millis(50));
                report.add(into, what + " at " + DECISION_RATE + "/s: p99", "ms", r.millis(99));
            }
            client.awaitQuiet(c);
            // the copy of the approval request in pat's Slack DM is updated to show the decision
            delivery(decidedAt, slack.firstUpdateOf, "D" + FakeSlack.userId("pat@example.com"),
                    platform + " decision sent → the approver's Slack copy updated (chat.update), at " + DECISION_RATE + "/s");
        }
    }

    /**
     * {@code n} PENDING requests that pat may approve (justified at intake). With a {@code rate}, they arrive at that
     * fixed rate and the time from each intake to its approval request in pat's Slack DM is recorded.
     */
    private List<String> pendingRequests(Child c, int n, int rate) throws Exception {
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Integer, Long> sentByIndex = new java.util.concurrent.ConcurrentHashMap<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        LoadGenerator.RequestFactory intake = i -> {
            sentByIndex.put(i, System.nanoTime());
            return client.intakeWith(c, ",\"justification\":\"chat bench\",\"duration\":\"1h\"");
        };
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(rate > 0 ? 64 : 16);
        try {
            List<java.util.concurrent.Future<?>> all = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int index = i;
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    while (System.nanoTime() < due) {
                        java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                    }
                }
                all.add(pool.submit(() -> {
                    String id = BenchClient.createdId(http.send(intake.apply(index), HttpResponse.BodyHandlers.ofString()));
                    ids.add(id);
                    sentAt.put(id, sentByIndex.get(index));
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        client.awaitQuiet(c);
        if (rate > 0) {
            delivery(sentAt, slack.firstPostOf, "D" + FakeSlack.userId("pat@example.com"),
                    "justified intake sent → approval request posted to the approver, at " + rate + "/s");
        }
        return new ArrayList<>(ids);
    }

    /** From each request's start time to the first Slack call on {@code channel} that names it. */
    private void delivery(Map<String, Long> started, Map<String, Long> arrivals, String channel, String figure) {
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
        int missing = 0;
        for (Map.Entry<String, Long> e : started.entrySet()) {
            Long at = arrivals.get(channel + "|" + e.getKey());
            if (at == null) {
                missing++;
            } else {
                h.recordValue(Math.max(0, (at - e.getValue()) / 1_000_000));
            }
        }
        if (missing > 0) {
            report.notes.add(figure + ": " + missing + " of " + started.size() + " never arrived");
        }
        report.add(report.clearance, figure + ": p50", "ms", h.getValueAtPercentile(50));
        report.add(report.clearance, figure + ": p99", "ms", h.getValueAtPercentile(99));
    }
}
