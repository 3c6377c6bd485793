package bench.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static bench.runner.Bench.log;

/**
 * The figures the scenarios measure (Clearance's beside the floor's, the store-size reads before and after the fill,
 * the revocation lags, failures seen) and the Markdown report made of them.
 */
final class BenchReport {
    final Map<String, List<Double>> clearance = new LinkedHashMap<>();
    final Map<String, List<Double>> floor = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();
    /** Read figures before the fill (index 0) and with the store filled (index 1). */
    private final Map<String, double[]> scale = new LinkedHashMap<>();
    private final Map<String, String> scaleUnits = new LinkedHashMap<>();
    /** Revocation lag per run: p50, p99, max (ms). */
    final Map<String, double[]> lag = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    long storedBeforeFill;
    private final Path repo;

    BenchReport(Path repo) {
        this.repo = repo;
    }

    void add(Map<String, List<Double>> into, String figure, String unit, double value) {
        units.putIfAbsent(figure, unit);
        into.computeIfAbsent(figure, k -> new ArrayList<>()).add(value);
        log(String.format(Locale.ROOT, "%-10s %s: %.2f %s", into == floor ? "floor" : "clearance", figure, value, unit));
    }

    void scale(int column, String figure, String unit, double value) {
        scaleUnits.putIfAbsent(figure, unit);
        scale.computeIfAbsent(figure, k -> new double[]{Double.NaN, Double.NaN})[column] = value;
        log(String.format(Locale.ROOT, "%s %s: %.2f %s", column == 0 ? "before the fill" : "filled", figure, value, unit));
    }

    void check(Child app, LoadGenerator.Result r) {
        if (r.failed() > 0) {
            notes.add(app.name + ": " + r.failed() + " of " + r.sent() + " requests failed, first: " + r.firstFailure());
        }
    }

    String render(String args, int reps, int open, Duration phase) throws IOException, InterruptedException {
        StringBuilder s = new StringBuilder();
        s.append("Generated ").append(LocalDate.now()).append(" by `scripts/bench.sh").append(args.isBlank() ? "" : " " + args)
                .append("` at commit ").append(git("rev-parse", "--short", "HEAD")).append(git("status", "--porcelain").isBlank() ? "" : " (with local changes)")
                .append(", on ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(". ").append(reps).append(" repetitions, ").append(phase.toSeconds())
                .append(" s per phase; min / median / max.\n\n");
        s.append("| figure | Clearance | floor | ratio (medians) |\n|---|---|---|---|\n");
        for (String figure : units.keySet()) {
            List<Double> c = clearance.get(figure);
            List<Double> f = floor.get(figure);
            s.append("| ").append(figure).append(" (").append(units.get(figure)).append(") | ").append(triple(c))
                    .append(" | ").append(triple(f)).append(" | ")
                    .append(c != null && f != null ? fmt(median(c) / median(f)) + "×" : "").append(" |\n");
        }
        s.append("\nWith ").append(String.format(Locale.ROOT, "%,d", open)).append(" more open requests in the store than the ")
                .append(String.format(Locale.ROOT, "%,d", storedBeforeFill)).append(" the REST phases left there (last "
                + "repetition; one in ten justified, so PENDING; approver: pat@example.com, approver at org/prod where the "
                + "requests are; admin: root@example.com; no role: nobody@example.com):\n\n");
        s.append("| figure | before the fill | filled | ratio |\n|---|---|---|---|\n");
        scale.forEach((figure, v) -> s.append("| ").append(figure).append(" (").append(scaleUnits.get(figure)).append(") | ")
                .append(fmt(v[0])).append(" | ").append(fmt(v[1])).append(" | ").append(fmt(v[1] / v[0])).append("× |\n"));
        if (!lag.isEmpty()) {
            s.append("\nRevocation lag (the provider's revoke call minus the grant's `expiresAt`; the webhook receiver is the "
                    + "runner's, answering at once):\n\n| run | p50 | p99 | max |\n|---|---|---|---|\n");
            lag.forEach((label, v) -> s.append("| ").append(label).append(" | ").append(fmt(v[0])).append(" ms | ")
                    .append(fmt(v[1])).append(" ms | ").append(fmt(v[2])).append(" ms |\n"));
        }
        s.append("\nFloors: the REST figures against `bench/bare-app`'s `POST /floor/requests` (Spring Boot web, parses the same JSON, "
                + "answers 201); startup against the same bare app; Slack against a Bolt app of the same version that verifies "
                + "the signature and only acks, and Teams against a Bot Framework adapter of the same version that answers every "
                + "invoke with a small card (`bench/bare-app` with `floor.chat=true`). Clearance runs with Slack and Teams on, "
                + "against the runner's fake Slack Web API and Bot Connector, on H2; every intake has all its effects (policy "
                + "match, request row, audit, timer, outbox message, Slack DM). Delivery figures have no floor: each is the time "
                + "until the fake platform received the call.\n");
        if (!notes.isEmpty()) {
            s.append("\nFailures seen during the run:\n");
            notes.forEach(n -> s.append("- ").append(n).append('\n'));
        }
        return s.toString();
    }

    private static String triple(List<Double> v) {
        if (v == null || v.isEmpty()) {
            return "";
        }
        List<Double> sorted = v.stream().sorted().toList();
        return sorted.size() == 1 ? fmt(sorted.get(0))
                : fmt(sorted.get(0)) + " / " + fmt(median(v)) + " / " + fmt(sorted.get(sorted.size() - 1));
    }

    private static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    static String fmt(double d) {
        if (d >= 100) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        return String.format(Locale.ROOT, d >= 10 ? "%.1f" : "%.2f", d);
    }

    private String git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }
}
