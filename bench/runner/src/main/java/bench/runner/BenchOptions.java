package bench.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's options, parsed once from the command line ({@code scripts/bench.sh} passes its arguments on).
 *
 * @param reps               repetitions of every figure
 * @param open               how many open requests fill the store for the store-size figures
 * @param phase              how long each measured phase runs
 * @param writeDocs          replace the generated section of {@code docs/BENCHMARKS.md}
 * @param revocationsOnly    only the revocation-lag runs (for checking a timer change)
 * @param noRevocations      skips the revocation-lag runs (a quick check of the other figures)
 * @param restOnly           only startup and the REST phases (comparing one setting against another)
 * @param scaleOnly          only the store-size figures: the empty store, then the same reads after filling it
 * @param slackLatencyMillis each fake Slack Web API call answers after this long (0: at once)
 * @param appArgs            arguments passed to each Clearance start
 * @param appJvmArgs         JVM flags for each Clearance start (a profiler: -XX:StartFlightRecording=…)
 * @param args               the command line as given, for the report
 */
record BenchOptions(int reps, int open, Duration phase, boolean writeDocs, boolean revocationsOnly, boolean noRevocations,
                    boolean restOnly, boolean scaleOnly, long slackLatencyMillis, List<String> appArgs,
                    List<String> appJvmArgs, List<String> args) {
    BenchOptions {
        appArgs = List.copyOf(appArgs);
        appJvmArgs = List.copyOf(appJvmArgs);
        args = List.copyOf(args);
    }

    static BenchOptions parse(String[] args) {
        int reps = 3;
        int open = 20_000;
        int seconds = 10;
        boolean writeDocs = false;
        boolean revocationsOnly = false;
        boolean noRevocations = false;
        boolean restOnly = false;
        boolean scaleOnly = false;
        long slackLatencyMillis = 0;
        List<String> appArgs = new ArrayList<>();
        List<String> appJvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--open" -> open = Integer.parseInt(args[++i]);
                case "--phase-seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--write-docs" -> writeDocs = true;
                case "--revocations-only" -> revocationsOnly = true;
                case "--no-revocations" -> noRevocations = true;
                case "--rest-only" -> restOnly = true;
                case "--scale-only" -> scaleOnly = true;
                case "--slack-latency-ms" -> slackLatencyMillis = Long.parseLong(args[++i]);
                case "--app-arg" -> appArgs.add(args[++i]);
                case "--app-jvm-arg" -> appJvmArgs.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --reps N --open N --phase-seconds S --write-docs [--rest-only --scale-only --slack-latency-ms N --no-revocations --revocations-only"
                        + " --app-arg A --app-jvm-arg F], or --races-only [--races N --race-clients N --cancel-delay-ms N --jar PATH --reconcile --settle-seconds S]");
            }
        }
        return new BenchOptions(reps, open, Duration.ofSeconds(seconds), writeDocs, revocationsOnly, noRevocations,
                restOnly, scaleOnly, slackLatencyMillis, appArgs, appJvmArgs, List.of(args));
    }

    /** A run of some figures only: the approve-then-cancel races that close a full run are skipped. */
    boolean partial() {
        return restOnly || scaleOnly || revocationsOnly;
    }

    /** The arguments as given, joined by spaces. */
    String joined() {
        return String.join(" ", args);
    }
}
