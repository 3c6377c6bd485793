package dev.clearance.app.config;

import dev.clearance.core.policy.Intervals;
import org.yaml.snakeyaml.nodes.Node;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** The policy file's {@code intervals} section: the timers of the request lifecycle, each with its default. */
final class IntervalsSection {
    /** The keys {@code intervals} accepts (the schema's {@code intervals.properties}). */
    static final Set<String> KEYS = Set.of("justification-window", "pending-window", "escalation-interval",
            "provider-retry-initial", "provider-retry-max", "grant-attempts", "expiry-notice");
    static final int MIN_GRANT_ATTEMPTS = 1;
    static final int MAX_GRANT_ATTEMPTS = 100;

    private final PolicyYaml yaml;

    IntervalsSection(PolicyYaml yaml) {
        this.yaml = yaml;
    }

    Intervals read(Node node) {
        Intervals d = Intervals.defaults();
        if (node == null) {
            return d;
        }
        Map<String, Node> m = yaml.mapping(node, "intervals", KEYS);
        Duration justification = yaml.interval(m.get("justification-window"), "intervals.justification-window", d.justificationWindow());
        Duration pending = yaml.interval(m.get("pending-window"), "intervals.pending-window", d.pendingWindow());
        Duration escalation = yaml.interval(m.get("escalation-interval"), "intervals.escalation-interval", d.escalationInterval());
        Duration retryInitial = yaml.interval(m.get("provider-retry-initial"), "intervals.provider-retry-initial", d.providerRetryInitial());
        Duration retryMax = yaml.interval(m.get("provider-retry-max"), "intervals.provider-retry-max", d.providerRetryMax());
        int attempts = grantAttempts(m.get("grant-attempts"), d.grantAttempts());
        Duration expiryNotice = yaml.intervalOrOff(m.get("expiry-notice"), "intervals.expiry-notice", d.expiryNotice());
        return new Intervals(justification, pending, escalation, retryInitial, retryMax, attempts, expiryNotice);
    }

    private int grantAttempts(Node node, int fallback) {
        if (node == null) {
            return fallback;
        }
        String v = yaml.scalar(node, "intervals.grant-attempts");
        try {
            int attempts = Integer.parseInt(v);
            if (attempts >= MIN_GRANT_ATTEMPTS && attempts <= MAX_GRANT_ATTEMPTS) {
                return attempts;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        yaml.problem(node, "intervals.grant-attempts", "'" + v + "' is not a whole number from " + MIN_GRANT_ATTEMPTS
                + " to " + MAX_GRANT_ATTEMPTS);
        return fallback;
    }
}
