package bench.runner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The detection benchmark's figures, one column per database, and the Markdown report made of them. */
final class DetectionReport {
    private final Path repo;
    private final int events;
    private final int pollers;
    /** figure → database → value, in the order first measured. */
    private final Map<String, Map<String, String>> figures = new LinkedHashMap<>();
    final List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());
    final StringBuilder statements = new StringBuilder();

    DetectionReport(Path repo, int events, int pollers) {
        this.repo = repo;
        this.events = events;
        this.pollers = pollers;
    }

    void put(String figure, String db, String value) {
        figures.computeIfAbsent(figure, f -> new LinkedHashMap<>()).put(db, value);
    }

    String render(String args, List<String> dbs) throws Exception {
        List<String> labels = dbs.stream().map(d -> d.equals("postgres") ? "PostgreSQL" : "H2").toList();
        StringBuilder out = new StringBuilder();
        out.append("Measured ").append(LocalDate.now()).append(" by `java -jar bench/runner/target/bench-runner.jar ")
                .append(args).append("` at commit ").append(git()).append(", on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append("; ").append(events).append(" events or intakes per phase, ").append(pollers)
                .append(" pollers, one run per database.\n\n");
        out.append("| figure | ").append(String.join(" | ", labels)).append(" |\n|---|");
        labels.forEach(l -> out.append("---|"));
        out.append('\n');
        figures.forEach((figure, byDb) -> {
            out.append("| ").append(figure).append(" |");
            labels.forEach(l -> out.append(' ').append(byDb.getOrDefault(l, "")).append(" |"));
            out.append('\n');
        });
        out.append('\n');
        notes.forEach(n -> out.append("- ").append(n).append('\n'));
        if (!notes.isEmpty()) {
            out.append('\n');
        }
        out.append(statements);
        return out.toString();
    }

    private String git() {
        try {
            Process p = new ProcessBuilder("git", "-C", repo.toString(), "rev-parse", "--short", "HEAD").start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (Exception e) {
            return "?";
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
