package dev.clearance.app.config;

import dev.clearance.core.policy.Limits;
import org.yaml.snakeyaml.nodes.Node;

import java.util.Map;
import java.util.Set;

/** The policy file's {@code limits} section: per-requester limits on new requests, against approval fatigue. */
final class LimitsSection {
    /** The keys {@code limits} accepts (the schema's {@code limits.properties}). */
    static final Set<String> KEYS = Set.of("new-request-after-denial", "open-requests-per-person",
            "requests-per-hour-per-person");
    /** A count is a whole number from 0 (the limit is off) to this. */
    static final int MAX_COUNT = 100_000;

    private final PolicyYaml yaml;

    LimitsSection(PolicyYaml yaml) {
        this.yaml = yaml;
    }

    Limits read(Node node) {
        Limits d = Limits.defaults();
        if (node == null) {
            return d;
        }
        Map<String, Node> m = yaml.mapping(node, "limits", KEYS);
        return new Limits(
                yaml.intervalOrOff(m.get("new-request-after-denial"), "limits.new-request-after-denial", d.newRequestAfterDenial()),
                count(m.get("open-requests-per-person"), "limits.open-requests-per-person", d.openRequestsPerPerson()),
                count(m.get("requests-per-hour-per-person"), "limits.requests-per-hour-per-person", d.requestsPerHourPerPerson()));
    }

    /** A whole number from 0 (the limit is off) to {@link #MAX_COUNT}. */
    private int count(Node node, String key, int fallback) {
        if (node == null) {
            return fallback;
        }
        String v = yaml.scalar(node, key).trim();
        try {
            int n = Integer.parseInt(v);
            if (n >= 0 && n <= MAX_COUNT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        yaml.problem(node, key, "'" + v + "' is not a whole number from 0 (no limit) to " + MAX_COUNT);
        return fallback;
    }
}
