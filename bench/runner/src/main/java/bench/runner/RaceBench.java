package bench.runner;

import java.io.IOException;
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
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Approve-then-cancel races against a provider that is slow to grant (issue 20): each request is approved, and its
 * requester gives the access back a random 0 to 1.5 s later, while the grant may still be on its way to, or sleeping
 * at, the {@link SlowReceiver}. Once every request is ENDED and no grant sleeps, the receiver must hold no access for
 * any of them: a revoke that overtook its grant would leave the access on for good while Clearance shows it ended.
 * <p>
 * Run alone with {@code java -jar bench/runner/target/bench-runner.jar --races-only [--races N] [--race-clients N]
 * [--cancel-delay-ms N] [--jar PATH] [--reconcile] [--settle-seconds S] [--app-arg A]}; the full benchmark runs it
 * last. Reconciliation is off unless {@code --reconcile}, so the figure is the ordering alone.
 */
final class RaceBench {
    static final int PORT = 18493;
    static final long MAX_GRANT_MILLIS = 3_000;
    static final long CANCEL_DELAY_MILLIS = 1_500;
    static final int RACES = 1000;
    /**
     * Clients racing at once. Clearance runs grants on its 8 timer threads, and here each grant holds one for 1.5 s on
     * average, about 5 grants a second at most. With 32 clients the approvals came far faster: grant calls started
     * p50 3.8 s after their approval, so most cancels came before any grant call and raced nothing. Six clients keep
     * the approvals within what the timer threads grant (p50 0.4 to 0.6 s), so most cancels meet a grant in flight.
     */
    static final int CLIENTS = 6;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

    /** One race as the client saw it: times are {@code System.nanoTime()}. */
    record Race(String id, long approved, long cancelSent, long cancelAcked, int cancelStatus, String cancelBody) {
    }

    /** The scenario's report, and whether it passed (no access left held, every cancel accepted, every request ended). */
    record Outcome(String report, boolean passed) {
    }

    /**
     * What to run: {@code maxCancelDelayMillis} bounds each cancel's random wait after its approval was acknowledged;
     * {@code settle} is the wait, once every request has ended and no grant sleeps, before reading what is held.
     */
    record Settings(Path jar, int races, int clients, long maxCancelDelayMillis, boolean reconcile, Duration settle,
                    List<String> appArgs, List<String> appJvmArgs) {
        static Settings defaults(Path repo, List<String> appArgs, List<String> appJvmArgs) {
            return new Settings(repo.resolve("bot-app/target/clearance.jar"), RACES, CLIENTS, CANCEL_DELAY_MILLIS, false,
                    Duration.ofSeconds(5), appArgs, appJvmArgs);
        }
    }

    private final Path repo;
    private final Settings set;
    private final String command;

    RaceBench(Path repo, Settings set, String command) {
        this.repo = repo;
        this.set = set;
        this.command = command;
    }

    /** {@code --races-only}: runs the scenario alone, writes its report, and answers the exit code (1: access left held). */
    static int runAlone(Path repo, List<String> args) throws Exception {
        Settings d = Settings.defaults(repo, new ArrayList<>(), new ArrayList<>());
        Path jar = d.jar();
        int races = d.races();
        int clients = d.clients();
        long cancelDelay = d.maxCancelDelayMillis();
        boolean reconcile = d.reconcile();
        Duration settle = d.settle();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--races" -> races = Integer.parseInt(args.get(++i));
                case "--race-clients" -> clients = Integer.parseInt(args.get(++i));
                case "--jar" -> jar = Path.of(args.get(++i)).toAbsolutePath();
                case "--cancel-delay-ms" -> cancelDelay = Long.parseLong(args.get(++i));
                case "--reconcile" -> reconcile = true;
                case "--settle-seconds" -> settle = Duration.ofSeconds(Long.parseLong(args.get(++i)));
                case "--app-arg" -> d.appArgs().add(args.get(++i));
                case "--app-jvm-arg" -> d.appJvmArgs().add(args.get(++i));
                default -> throw new IllegalArgumentException("unknown option " + args.get(i) + "; with --races-only use"
                        + " --races N --race-clients N --cancel-delay-ms N --jar PATH --reconcile --settle-seconds S --app-arg A --app-jvm-arg F");
            }
        }
        String command = "java -jar bench/runner/target/bench-runner.jar --races-only" + (args.isEmpty() ? "" : " " + String.join(" ", args));
        Outcome o = new RaceBench(repo, new Settings(jar, races, clients, cancelDelay, reconcile, settle, d.appArgs(),
                d.appJvmArgs()), command).run();
        Path out = repo.resolve("bench/runner/target/race-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, o.report());
        System.out.println(o.report());
        log("report in " + out);
        if (!o.passed()) {
            System.err.println("[bench] RACES FAILED: access was left held at the provider, a cancel was refused, or a"
                    + " request did not end; see the report above");
        }
        return o.passed() ? 0 : 1;
    }

    Outcome run() throws Exception {
        if (!Files.isRegularFile(set.jar())) {
            throw new IllegalStateException(set.jar() + " is missing: run ./mvnw -q -DskipTests package first");
        }
        Path work = Files.createTempDirectory("clearance-races");
        try {
            return run(work);
        } finally {
            Bench.deleteTree(work.resolve("data")); // the application's log stays for a look afterwards
            log("log in " + work);
        }
    }

    private Outcome run(Path work) throws Exception {
        try (FakeSlack slack = new FakeSlack(0, 0); SlowReceiver receiver = new SlowReceiver(MAX_GRANT_MILLIS, 20);
             Child c = start(work, slack, receiver)) {
            c.awaitHealthy(Duration.ofMinutes(2));
            log(set.races() + " approve-then-cancel races, " + set.clients() + " clients, grants answered after 0–" + MAX_GRANT_MILLIS
                    + " ms, reconciliation " + (set.reconcile() ? "on" : "off") + ", jar " + set.jar());
            long t0 = System.nanoTime();
            List<Race> done = race(c);
            long raced = System.nanoTime();
            log("all races answered in " + ms(raced - t0) + " ms; waiting for every request to end");
            Map<String, String> notEnded = awaitEnded(c, done, Duration.ofMinutes(10));
            while (receiver.sleeping() > 0) {
                Thread.sleep(100);
            }
            long settled = System.nanoTime();
            log("every request ended; reading what the receiver holds in " + set.settle().toSeconds() + " s");
            Thread.sleep(set.settle().toMillis()); // anything still on its way to the receiver arrives
            List<String> held = receiver.held();
            held.retainAll(done.stream().map(Race::id).toList());
            String report = RaceReport.write(repo, set, command, c, receiver, done, notEnded, held, ms(raced - t0),
                    ms(settled - t0));
            boolean refused = done.stream().anyMatch(r -> r.cancelStatus() / 100 != 2);
            return new Outcome(report, held.isEmpty() && notEnded.isEmpty() && !refused);
        }
    }

    private Child start(Path work, FakeSlack slack, SlowReceiver receiver) throws IOException {
        Path data = work.resolve("data");
        Files.createDirectories(data);
        // the same settings as the benchmark's other Clearance starts (Bench#startClearance), with the slow receiver
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLEARANCE_API_TOKENS", Bench.TOKEN);
        env.put("SLACK_BOT_TOKEN", "xoxb-bench");
        env.put("SLACK_SIGNING_SECRET", Bench.SIGNING_SECRET);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("CLEARANCE_ACCESS_PROVIDER", "webhook");
        env.put("CLEARANCE_WEBHOOK_URL", receiver.url());
        env.put("CLEARANCE_WEBHOOK_SECRET", WebhookReceiver.SECRET);
        env.put("CLEARANCE_WEBHOOK_RECONCILE", Boolean.toString(set.reconcile()));
        if (set.reconcile()) {
            env.put("CLEARANCE_RECONCILE_INTERVAL", "1m"); // the shortest allowed
        }
        List<String> args = new ArrayList<>(List.of("--clearance.data-dir=" + data,
                "--clearance.config=" + repo.resolve("config/clearance.example.yml"), "--logging.level.root=WARN"));
        args.addAll(set.appArgs());
        return Child.start("clearance-races", set.jar(), PORT, set.appJvmArgs(), args, env, work);
    }

    /** Runs the races from a pool of {@link Settings#clients} threads; each: intake, approval, a random wait, the cancel. */
    private List<Race> race(Child c) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(set.clients());
        try {
            List<Future<Race>> futures = new ArrayList<>();
            Random random = new Random(20); // the same waits in every run
            for (int i = 0; i < set.races(); i++) {
                int n = i;
                long delay = (long) (random.nextDouble() * set.maxCancelDelayMillis());
                futures.add(pool.submit(() -> oneRace(c, http, n, delay)));
            }
            List<Race> done = new ArrayList<>();
            for (Future<Race> f : futures) {
                done.add(f.get());
            }
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    private Race oneRace(Child c, HttpClient http, int n, long delay) throws IOException, InterruptedException {
        String requester = "race" + n + "@example.com";
        HttpResponse<String> created = http.send(post(c, "/api/v1/requests", "{\"requester\":\"" + requester
                + "\",\"resource\":\"ec2:StopInstances\",\"account\":\"123456789012\",\"justification\":\"race bench " + n
                + "\",\"duration\":\"15m\"}"), HttpResponse.BodyHandlers.ofString());
        Matcher m = ID.matcher(created.body());
        if (created.statusCode() != 201 || !m.find()) {
            throw new IllegalStateException("intake answered " + created.statusCode() + ": " + created.body());
        }
        String id = m.group(1);
        HttpResponse<String> decided = http.send(post(c, "/api/v1/requests/" + id + "/decisions",
                "{\"approver\":\"pat@example.com\",\"decision\":\"approve\",\"reason\":\"race bench\"}"),
                HttpResponse.BodyHandlers.ofString());
        if (decided.statusCode() != 200) {
            throw new IllegalStateException("the approval of " + id + " answered " + decided.statusCode() + ": " + decided.body());
        }
        long approvedAt = System.nanoTime();
        Thread.sleep(delay);
        long sent = System.nanoTime();
        HttpResponse<String> cancelled = http.send(post(c, "/api/v1/requests/" + id + "/cancel",
                "{\"actor\":\"" + requester + "\"}"), HttpResponse.BodyHandlers.ofString());
        return new Race(id, approvedAt, sent, System.nanoTime(), cancelled.statusCode(), cancelled.body());
    }

    private static HttpRequest post(Child c, String path, String json) {
        return HttpRequest.newBuilder(URI.create(c.url(path))).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Bench.TOKEN).POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    static String get(Child c, HttpClient http, String id) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(c.url("/api/v1/requests/" + id)))
                .header("Authorization", "Bearer " + Bench.TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Polls each request until it is ENDED; answers those that were not by the timeout, with their last status. */
    private static Map<String, String> awaitEnded(Child c, List<Race> done, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, String> open = new LinkedHashMap<>();
        done.forEach(r -> open.put(r.id(), "?"));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (String id : new ArrayList<>(open.keySet())) {
                Matcher m = STATUS.matcher(get(c, http, id));
                String status = m.find() ? m.group(1) : "?";
                if (status.equals("ENDED")) {
                    open.remove(id);
                } else {
                    open.put(id, status);
                }
            }
            if (!open.isEmpty()) {
                Thread.sleep(1_000);
            }
        }
        return open;
    }

    static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private static void log(String line) {
        System.err.println("[bench] " + line);
    }
}
