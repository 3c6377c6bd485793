package bench.runner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Detection (issue 21, "Measured"): CloudTrail events turned into requests by one instance, beside the REST intake of
 * the same run and the floors of both, on H2 and on PostgreSQL. Per database: ElasticMQ in this process, a fake Slack,
 * Clearance's packaged jar consuming one queue, and the bare app. In order, after a warm-up: the SQS floor (N messages
 * drained by pollers that only receive and delete), detection (N distinct protected attempts by N people, sent ten to a
 * batch as fast as the client goes, until every requester's justification prompt reached the fake Slack), the REST
 * floor (N intakes to the bare app, 32 in flight) and the REST intake (the same N through {@code POST /api/v1/requests});
 * then, open model at a rate both sustain, events and intakes each due at a fixed time, timed from then to the prompt.
 * <p>
 * NB: "sent" is when the runner sent the batch: the queue's own time is inside every detection latency, since the
 * consumer's receipt cannot be seen from outside (long polling answers at once when messages wait).
 */
final class DetectionBench {
    private static final String FIXTURE = "adapters/aws-detection/src/test/resources/cloudtrail/sso-scp-deny-s3-deletebucket.json";
    private static final String ACCOUNT = "111122223333";
    static final int IN_FLIGHT = 32;
    private final Path repo = Path.of("").toAbsolutePath();
    private final Path work;
    private final int events;
    private final int pollers;
    /** The open-model phases: this many events (and intakes) a second, for this long. */
    private final double rate;
    private final int rateSeconds;
    private final String template;
    private final DetectionReport report;
    private final List<String> notes;
    private final StringBuilder statements;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private DetectionBench(int events, int pollers, double rate, int rateSeconds) throws Exception {
        this.events = events;
        this.pollers = pollers;
        this.rate = rate;
        this.rateSeconds = rateSeconds;
        this.work = Files.createTempDirectory("clearance-detbench");
        this.template = Files.readString(repo.resolve(FIXTURE));
        this.report = new DetectionReport(repo, events, pollers);
        this.notes = report.notes;
        this.statements = report.statements;
    }

    /** {@code --detection-only [--events N] [--rate R --rate-seconds S] [--db h2,postgres] [--pollers N]}; PostgreSQL from CLEARANCE_TEST_PG_*. */
    static int runAlone(String[] args) {
        int events = 2000;
        int pollers = 2;
        double rate = 10;
        int rateSeconds = 30;
        List<String> dbs = List.of("h2", "postgres");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--detection-only" -> { }
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--pollers" -> pollers = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--rate-seconds" -> rateSeconds = Integer.parseInt(args[++i]);
                case "--db" -> dbs = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --detection-only [--events N] [--rate R --rate-seconds S] [--db h2,postgres] [--pollers N]");
            }
        }
        try {
            DetectionBench bench = new DetectionBench(events, pollers, rate, rateSeconds);
            for (String db : dbs) {
                bench.run(db);
            }
            String report = bench.report.render(String.join(" ", args), dbs);
            Path out = bench.repo.resolve("bench/runner/target/detection-report.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            System.out.println(report);
            return 0;
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
    }

    private void run(String db) throws Exception {
        boolean pg = db.equals("postgres");
        String label = pg ? "PostgreSQL" : "H2";
        log(label + ": load average " + DetectionReport.loadAverage());
        report.put("load average at the start (1 min)", label, DetectionReport.loadAverage());
        PgStats stats = pg ? new PgStats(env("CLEARANCE_TEST_PG_URL"), env("CLEARANCE_TEST_PG_USER"),
                System.getenv().getOrDefault("CLEARANCE_TEST_PG_PASSWORD", ""), "run") : null;
        if (pg && !stats.statements) {
            notes.add("the PostgreSQL server does not preload pg_stat_statements: no statement figures");
        }
        Path bareJar = repo.resolve("bench/bare-app/target/bare-app.jar");
        try (LocalSqs mq = new LocalSqs(); FakeSlack slack = new FakeSlack(); WebhookReceiver provider = new WebhookReceiver();
             Child floor = Child.start("floor", bareJar, LocalSqs.freePort(), List.of(), List.of(), Map.of(), work);
             Child c = startClearance(db, mq, mq.create("clearance-detect"), slack, provider, stats)) {
            String queue = mq.create("clearance-detect"); // the same queue: createQueue answers the existing one's URL
            String floorQueue = mq.create("floor-detect");
            floor.awaitHealthy(Duration.ofMinutes(3));
            c.awaitHealthy(Duration.ofMinutes(3));
            String t = pg ? "p" : "h";
            int warm = Math.min(300, events);
            log(label + ": warm-up, " + warm + " of each (not recorded)");
            detect(mq, queue, slack, "wd" + t, warm, 1);
            rest(c, "/api/v1/requests", "wr" + t, warm, slack, 0);
            sqsFloor(mq, floorQueue, warm, 2);
            rest(floor, "/floor/requests", "wf" + t, warm, null, 0);
            DetectionPhase.awaitQuiet(slack);

            log(label + ": SQS floor, " + events + " messages");
            DetectionPhase sq = sqsFloor(mq, floorQueue, events, 3);
            report.put("SQS floor: messages sent and drained (" + pollers + " pollers, 10 a receive) (msg/s)", label, sq.rate());
            report.put("SQS floor: sent → received by the floor's poller, p50 / p99 / max (ms)", label, sq.latencies());

            log(label + ": detection, " + events + " events");
            if (stats != null) {
                stats.reset();
            }
            long cpu0 = c.cpuMillis();
            DetectionPhase d = detect(mq, queue, slack, "d" + t, events, 4);
            report.put("detection: events sent → requests prompted (events/s)", label, d.rate());
            report.put("detection: event sent → requester's prompt posted, p50 / p99 / max (ms)", label, d.latencies());
            report.put("detection: events enqueued by the runner (msg/s)", label, DetectionReport.fmt(events / ((d.sendEnd() - d.firstSent()) / 1e9)));
            report.put("detection: Clearance CPU per event (ms)", label, DetectionReport.fmt((c.cpuMillis() - cpu0) / (double) events));
            if (stats != null) {
                statements.append(stats.report("Detection on PostgreSQL: one event", events, 20)).append('\n');
            }
            DetectionPhase.awaitQuiet(slack);

            log(label + ": REST floor, " + events + " intakes");
            DetectionPhase rf = rest(floor, "/floor/requests", "f" + t, events, null, 0);
            report.put("REST floor (bare app, " + IN_FLIGHT + " in flight): intakes answered (req/s)", label, rf.rate());

            log(label + ": REST intake, " + events + " intakes");
            if (stats != null) {
                stats.reset();
            }
            cpu0 = c.cpuMillis();
            DetectionPhase r = rest(c, "/api/v1/requests", "r" + t, events, slack, 0);
            report.put("REST intake (" + IN_FLIGHT + " in flight): intakes answered 201 (req/s)", label,
                    DetectionReport.fmt(events / ((r.sendEnd() - r.firstSent()) / 1e9)));
            report.put("REST intake: intakes sent → requests prompted (req/s)", label, r.rate());
            report.put("REST intake: intake sent → requester's prompt posted, p50 / p99 / max (ms)", label, r.latencies());
            report.put("REST intake: Clearance CPU per intake (ms)", label, DetectionReport.fmt((c.cpuMillis() - cpu0) / (double) events));
            if (stats != null) {
                statements.append(stats.report("REST intake on PostgreSQL: one intake", events, 20)).append('\n');
            }
            int atRate = (int) (rate * rateSeconds);
            DetectionPhase.awaitQuiet(slack);
            log(label + ": detection at " + DetectionReport.fmt(rate) + "/s, " + atRate + " events");
            DetectionPhase dr = detectAtRate(mq, queue, slack, "e" + t, atRate, 5, rate);
            report.put("detection at " + DetectionReport.fmt(rate) + "/s (open model): event due → requester's prompt posted, p50 / p99 / max (ms)",
                    label, dr.latencies());
            DetectionPhase.awaitQuiet(slack);
            log(label + ": REST intake at " + DetectionReport.fmt(rate) + "/s, " + atRate + " intakes");
            DetectionPhase rr = rest(c, "/api/v1/requests", "s" + t, atRate, slack, rate);
            report.put("REST intake at " + DetectionReport.fmt(rate) + "/s (open model): intake due → requester's prompt posted, p50 / p99 / max (ms)",
                    label, rr.latencies());
            long expected = 2L * warm + 2L * events + 2L * atRate;
            long stored = stored(c);
            if (stored != expected) {
                notes.add(label + ": " + stored + " requests stored, " + expected + " expected");
            }
            report.put("load average at the end (1 min)", label, DetectionReport.loadAverage());
        } finally {
            if (stats != null) {
                stats.drop();
            }
        }
    }

    private Child startClearance(String db, LocalSqs mq, String queue, FakeSlack slack, WebhookReceiver provider,
                                 PgStats stats) throws Exception {
        Path data = work.resolve("data-" + db);
        Files.createDirectories(data);
        Path policy = work.resolve("detection-bench.yml");
        try (var in = DetectionBench.class.getResourceAsStream("/detection-bench.yml")) {
            Files.write(policy, in.readAllBytes());
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLEARANCE_API_TOKENS", Bench.TOKEN);
        env.put("SLACK_BOT_TOKEN", "xoxb-bench");
        env.put("SLACK_SIGNING_SECRET", Bench.SIGNING_SECRET);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("CLEARANCE_ACCESS_PROVIDER", "webhook");
        env.put("CLEARANCE_WEBHOOK_URL", provider.url());
        env.put("CLEARANCE_WEBHOOK_SECRET", WebhookReceiver.SECRET);
        env.put("CLEARANCE_DETECTION_QUEUE_URL", queue);
        // the AWS SDK's own chains, pointed at the runner's ElasticMQ
        env.put("AWS_ENDPOINT_URL_SQS", mq.url());
        env.put("AWS_REGION", LocalSqs.REGION);
        env.put("AWS_ACCESS_KEY_ID", "x");
        env.put("AWS_SECRET_ACCESS_KEY", "x");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        if (stats != null) {
            env.put("SPRING_PROFILES_ACTIVE", "postgres");
            env.put("CLEARANCE_DB_URL", stats.url());
            env.put("CLEARANCE_DB_USER", env("CLEARANCE_TEST_PG_USER"));
            env.put("CLEARANCE_DB_PASSWORD", System.getenv().getOrDefault("CLEARANCE_TEST_PG_PASSWORD", ""));
        }
        List<String> args = List.of("--clearance.data-dir=" + data, "--clearance.config=" + policy,
                "--clearance.detection.pollers=" + pollers, "--logging.level.root=WARN");
        return Child.start("clearance-" + db, repo.resolve("bot-app/target/clearance.jar"), LocalSqs.freePort(), List.of(),
                args, env, work);
    }

    // ------------------------------------------------------------------ the phases

    private String event(String person, int tag, int i) {
        return template.replace("alice@example.com", person + "@example.com")
                .replace("3f1d4e0c-8c55-4d8b-9a77-5f0c9d1e2a11", eventId(tag, i))
                .replace("6a7e8feb-b491-4cf7-a9f1-bf3703467718", eventId(tag + 100, i));
    }

    private static String eventId(int tag, int i) {
        return String.format(Locale.ROOT, "%08d-0000-4000-8000-%012d", tag, i);
    }

    /** The index {@link #eventId} put in a message's body. */
    private static int indexOf(String body) {
        int at = body.indexOf("-0000-4000-8000-");
        return Integer.parseInt(body.substring(at + 16, at + 28));
    }

    private DetectionPhase detect(LocalSqs mq, String queue, FakeSlack slack, String prefix, int n, int tag) throws Exception {
        List<String> bodies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            bodies.add(event(prefix + i, tag, i));
        }
        long[] sent = new long[n];
        long sendEnd = mq.send(queue, bodies, sent, 0);
        return new DetectionPhase(sent, DetectionPhase.prompts(slack, prefix, n, notes), sendEnd);
    }

    private DetectionPhase sqsFloor(LocalSqs mq, String queue, int n, int tag) throws Exception {
        List<String> bodies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            bodies.add(event("floor" + i, tag, i));
        }
        long[] sent = new long[n];
        long[] received = new long[n];
        CompletableFuture<Long> sending = CompletableFuture.supplyAsync(() -> mq.send(queue, bodies, sent, 0));
        int got = mq.drain(queue, pollers, n, DetectionBench::indexOf, received, Duration.ofMinutes(5));
        if (got != n) {
            notes.add("SQS floor: " + got + " of " + n + " messages drained");
        }
        return new DetectionPhase(sent, received, sending.join());
    }

    /** {@code n} intakes; with a fake Slack, until each requester's prompt was posted (see {@link DetectionPhase#rest}). */
    private DetectionPhase rest(Child app, String path, String prefix, int n, FakeSlack slack, double rate) {
        return DetectionPhase.rest(http, app, path, prefix, n, ACCOUNT, slack, rate, IN_FLIGHT, notes);
    }

    /** Open model: event {@code i} is due at {@code start + i / rate}, sent alone, and its latency counts from then. */
    private DetectionPhase detectAtRate(LocalSqs mq, String queue, FakeSlack slack, String prefix, int n, int tag, double rate)
            throws InterruptedException {
        long[] due = new long[n];
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            due[i] = start + i * interval;
            long wait;
            while ((wait = due[i] - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            String body = event(prefix + i, tag, i);
            mq.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        }
        long sendEnd = System.nanoTime();
        return new DetectionPhase(due, DetectionPhase.prompts(slack, prefix, n, notes), sendEnd);
    }

    private long stored(Child c) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(c.url("/api/v1/requests?size=1")))
                .header("Authorization", "Bearer " + Bench.TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"total\"\\s*:\\s*(\\d+)").matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: eval \"$(scripts/postgres-for-tests.sh)\" first");
        }
        return v;
    }

    private static void log(String line) {
        System.err.println("[detection] " + line);
    }
}
