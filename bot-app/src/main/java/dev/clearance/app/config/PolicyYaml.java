package dev.clearance.app.config;

import dev.clearance.core.model.UserEmail;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One policy file being read: the YAML shapes every section reads (mappings with known keys, lists, single values,
 * intervals, emails), and every problem and warning found so far, each as {@code file:line: key: message}.
 */
final class PolicyYaml {
    /** Written for an interval that may be turned off (the schema's const). */
    static final String OFF = "0";
    private static final Pattern INTERVAL = Pattern.compile("^(\\d{1,6})([smhd])$");

    private final String file;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    PolicyYaml(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    List<String> problems() {
        return problems;
    }

    List<String> warnings() {
        return warnings;
    }

    /** The mapping's entries whose keys are allowed; each other key is a problem naming the allowed ones. */
    Map<String, Node> mapping(Node node, String key, Set<String> allowed) {
        Map<String, Node> result = new LinkedHashMap<>();
        if (!(node instanceof MappingNode m)) {
            problem(node, key, "expected a mapping");
            return result;
        }
        for (NodeTuple t : m.getValue()) {
            String k = scalar(t.getKeyNode(), key);
            if (!allowed.contains(k)) {
                problem(t.getKeyNode(), key, "unknown key '" + k + "'; expected one of " + String.join(", ", allowed.stream().sorted().toList()));
            } else {
                result.put(k, t.getValueNode());
            }
        }
        return result;
    }

    List<Node> sequence(Node node, String key) {
        if (node instanceof SequenceNode s) {
            return s.getValue();
        }
        problem(node, key, "expected a list");
        return List.of();
    }

    String scalar(Node node, String key) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(node, key, "expected a single value");
        return "";
    }

    /** One of the given values, exactly as written; absent or (with a problem saying to write one of them) not one. */
    <T> T oneOf(Node node, String key, Map<String, T> values, T absent, String expected) {
        if (node == null) {
            return absent;
        }
        String v = scalar(node, key);
        T value = values.get(v);
        if (value == null) {
            problem(node, key, "write " + expected + ", not '" + v + "'");
            return absent;
        }
        return value;
    }

    Optional<UserEmail> email(Node node, String key) {
        String v = scalar(node, key);
        try {
            return Optional.of(UserEmail.of(v));
        } catch (IllegalArgumentException e) {
            problem(node, key, "'" + v + "' is not an email address (groups are written group:NAME)");
            return Optional.empty();
        }
    }

    /** An interval such as {@code 24h}; the fallback when the key is absent or (with a problem) wrong. */
    Duration interval(Node node, String key, Duration fallback) {
        if (node == null) {
            return fallback;
        }
        String v = scalar(node, key).trim().toLowerCase(Locale.ROOT);
        Optional<Duration> d = interval(v);
        if (d.isEmpty()) {
            problem(node, key, "bad duration '" + v + "': write a positive number followed by s, m, h or d, e.g. 24h");
        }
        return d.orElse(fallback);
    }

    /** An interval, or {@link #OFF} for off (a zero duration). */
    Duration intervalOrOff(Node node, String key, Duration fallback) {
        if (node != null && scalar(node, key).trim().equals(OFF)) {
            return Duration.ZERO;
        }
        return interval(node, key, fallback);
    }

    /** A positive whole number of seconds, minutes, hours or days, as the file writes it (any case, spaces around). */
    static Optional<Duration> interval(String written) {
        Matcher m = INTERVAL.matcher(written.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }

    void warn(Node node, String key, String message) {
        int line = line(node);
        warnings.add(file + (line > 0 ? ":" + line : "") + ": " + key + ": " + message);
    }

    void problem(Node node, String key, String message) {
        problems.add(file + ":" + line(node) + ": " + key + ": " + message);
    }

    private static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
