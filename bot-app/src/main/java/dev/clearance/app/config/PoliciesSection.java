package dev.clearance.app.config;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.policy.ApproverSet;
import dev.clearance.core.policy.GlobPattern;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.policy.PolicyStep;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The policy file's {@code policies} (first match wins) and {@code default-policy}: what each matches, how long its
 * access may last, whether self-approval counts, its approval steps, what it grants and whether a justification is
 * asked for.
 */
final class PoliciesSection {
    /** The keys a {@code policies} entry accepts (the schema's {@code policies.items.properties}). */
    static final Set<String> POLICY_KEYS = Set.of("name", "match", "max-duration", "max-total-duration",
            "self-approval", "steps", "grant", "justification");
    static final Set<String> MATCH_KEYS = Set.of("resource", "account");
    static final Set<String> STEP_KEYS = Set.of("name", "approvers", "approvals");
    static final Set<String> DEFAULT_POLICY_KEYS = Set.of("max-duration", "max-total-duration", "grant", "justification");
    /** {@code justification}'s values, exactly as they may be written (the schema's enum), and whether each asks for one. */
    static final Map<String, Boolean> JUSTIFICATION = Map.of("required", true, "off", false);
    /** {@code self-approval}'s values, exactly as they may be written (the schema's enum), and what each means. */
    static final Map<String, Boolean> SELF_APPROVAL = Map.of("allowed", true, "Allowed", true, "ALLOWED", true,
            "forbidden", false, "Forbidden", false, "FORBIDDEN", false);
    static final int MIN_APPROVALS = 1;

    private final PolicyYaml yaml;
    private final PeopleSection people;
    private final GrantSection grants;

    PoliciesSection(PolicyYaml yaml, PeopleSection people, GrantSection grants) {
        this.yaml = yaml;
        this.people = people;
        this.grants = grants;
    }

    Policy defaultPolicy(Node node, Node top) {
        if (node == null) {
            yaml.warn(top, "default-policy", "no default-policy section: requests no policy matches may last at most "
                    + Policy.DEFAULT_MAX_DURATION + " (" + Policy.defaultTotal(Policy.DEFAULT_MAX_DURATION)
                    + " with extensions); state default-policy: {max-duration: ...} to choose");
            return Policy.defaultPolicy(Policy.DEFAULT_MAX_DURATION);
        }
        Map<String, Node> m = yaml.mapping(node, "default-policy", DEFAULT_POLICY_KEYS);
        AccessDuration max = maxDuration(m.get("max-duration"), node, "default-policy");
        return Policy.defaultPolicy(max, grants.read(m.get("grant"), "default-policy.grant"),
                maxTotalDuration(m.get("max-total-duration"), max, "default-policy"),
                justification(m.get("justification"), "default-policy.justification"));
    }

    List<Policy> policies(Node node, Map<String, Set<UserEmail>> groups) {
        List<Policy> policies = new ArrayList<>();
        if (node == null) {
            return policies;
        }
        Set<String> names = new HashSet<>(Set.of(Policy.DEFAULT_NAME));
        for (Node item : yaml.sequence(node, "policies")) {
            Map<String, Node> m = yaml.mapping(item, "policies[]", POLICY_KEYS);
            if (!m.containsKey("name")) {
                yaml.problem(item, "policies[].name", "each policy needs a name");
                continue;
            }
            String name = yaml.scalar(m.get("name"), "policies[].name");
            String key = "policies[" + name + "]";
            if (!names.add(name)) {
                yaml.problem(m.get("name"), key + ".name", name.equals(Policy.DEFAULT_NAME)
                        ? "'default' is the built-in policy; use default-policy to change it"
                        : "duplicate policy name '" + name + "'");
            }
            Optional<GlobPattern> resource = Optional.empty();
            Optional<GlobPattern> account = Optional.empty();
            if (!m.containsKey("match")) {
                yaml.problem(item, key + ".match", "a policy needs a match with at least one of resource, account");
            } else {
                Map<String, Node> match = yaml.mapping(m.get("match"), key + ".match", MATCH_KEYS);
                resource = glob(match.get("resource"), key + ".match.resource");
                account = glob(match.get("account"), key + ".match.account");
                if (match.isEmpty()) {
                    yaml.problem(m.get("match"), key + ".match", "give at least one of resource, account");
                }
            }
            AccessDuration max = maxDuration(m.get("max-duration"), item, key);
            AccessDuration total = maxTotalDuration(m.get("max-total-duration"), max, key);
            boolean selfApproval = yaml.oneOf(m.get("self-approval"), key + ".self-approval", SELF_APPROVAL, false,
                    "allowed or forbidden");
            List<PolicyStep> steps = steps(m.get("steps"), item, key, groups);
            Map<String, String> grant = grants.read(m.get("grant"), key + ".grant");
            grants.checkMatchedAccount(grant, account, m.get("match"), key);
            if (!steps.isEmpty()) {
                policies.add(new Policy(name, resource, account, max, selfApproval, steps, grant, total,
                        justification(m.get("justification"), key + ".justification")));
            }
        }
        return policies;
    }

    /** {@code justification: required} (the default) or {@code off}. */
    private boolean justification(Node node, String key) {
        return yaml.oneOf(node, key, JUSTIFICATION, true, "required (the requester says why before approvers are asked)"
                + " or off (the request goes straight to its approvers)");
    }

    /**
     * A policy's {@code max-duration}. NB: until revoked only where the file writes it; a policy that states none gets
     * the bounded default, with a warning naming it.
     */
    private AccessDuration maxDuration(Node node, Node policy, String policyKey) {
        String key = policyKey + ".max-duration";
        if (node == null) {
            yaml.warn(policy, key, "not stated: access under this policy may last at most " + Policy.DEFAULT_MAX_DURATION
                    + " (the default); state max-duration (until-revoked only if that is meant)");
            return Policy.DEFAULT_MAX_DURATION;
        }
        return duration(node, key).orElse(Policy.DEFAULT_MAX_DURATION);
    }

    /** A policy's {@code max-total-duration}: default twice {@code max}, never less, until revoked only if max is. */
    private AccessDuration maxTotalDuration(Node node, AccessDuration max, String policyKey) {
        String key = policyKey + ".max-total-duration";
        if (node == null) {
            return Policy.defaultTotal(max);
        }
        Optional<AccessDuration> total = duration(node, key);
        if (total.isEmpty()) {
            return Policy.defaultTotal(max);
        }
        if (total.get().isUntilRevoked() && !max.isUntilRevoked()) {
            yaml.problem(node, key, "until-revoked is allowed only when max-duration is until-revoked (it is " + max
                    + "); write a duration of at least " + max);
            return Policy.defaultTotal(max);
        }
        if (max.exceeds(total.get())) {
            yaml.problem(node, key, total.get() + " is shorter than max-duration (" + max + "); write at least " + max);
            return Policy.defaultTotal(max);
        }
        return total.get();
    }

    private Optional<AccessDuration> duration(Node node, String key) {
        try {
            return Optional.of(AccessDuration.parse(yaml.scalar(node, key)));
        } catch (IllegalArgumentException e) {
            yaml.problem(node, key, "bad duration: " + e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<GlobPattern> glob(Node node, String key) {
        if (node == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(GlobPattern.compile(yaml.scalar(node, key)));
        } catch (IllegalArgumentException e) {
            yaml.problem(node, key, "bad glob: " + e.getMessage());
            return Optional.empty();
        }
    }

    private List<PolicyStep> steps(Node node, Node policy, String key, Map<String, Set<UserEmail>> groups) {
        List<PolicyStep> steps = new ArrayList<>();
        if (node == null) {
            yaml.problem(policy, key + ".steps", "a policy needs at least one step");
            return steps;
        }
        List<Node> items = yaml.sequence(node, key + ".steps");
        if (items.isEmpty()) {
            yaml.problem(node, key + ".steps", "a policy needs at least one step");
        }
        for (int i = 0; i < items.size(); i++) {
            String stepKey = key + ".steps[" + (i + 1) + "]";
            Map<String, Node> m = yaml.mapping(items.get(i), stepKey, STEP_KEYS);
            Optional<String> name = m.containsKey("name") ? Optional.of(yaml.scalar(m.get("name"), stepKey + ".name")) : Optional.empty();
            if (!m.containsKey("approvers")) {
                yaml.problem(items.get(i), stepKey + ".approvers", "a step needs approvers (emails, group:NAME or scope-approvers)");
                continue;
            }
            ApproverSet approvers = people.approvers(m.get("approvers"), stepKey + ".approvers", groups, true);
            int required = 1;
            if (m.containsKey("approvals")) {
                String v = yaml.scalar(m.get("approvals"), stepKey + ".approvals");
                try {
                    required = Integer.parseInt(v);
                    if (required < MIN_APPROVALS) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    yaml.problem(m.get("approvals"), stepKey + ".approvals", "'" + v + "' is not a whole number of at least 1");
                    continue;
                }
            }
            if (!approvers.scopeApprovers() && groups.keySet().containsAll(approvers.groups())) {
                Set<UserEmail> named = new HashSet<>(approvers.users());
                approvers.groups().forEach(g -> named.addAll(groups.getOrDefault(g, Set.of())));
                if (required > named.size()) {
                    yaml.problem(m.containsKey("approvals") ? m.get("approvals") : items.get(i), stepKey + ".approvals",
                            "the step needs " + required + " approvals but names only " + named.size()
                                    + " approver" + (named.size() == 1 ? "" : "s"));
                }
            }
            steps.add(new PolicyStep(name, approvers, required));
        }
        return steps;
    }
}
