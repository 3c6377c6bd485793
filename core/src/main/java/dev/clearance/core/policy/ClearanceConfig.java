package dev.clearance.core.policy;

import dev.clearance.core.model.Person;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Everything the policy file declares, already validated. */
public record ClearanceConfig(Map<UserEmail, Person> users, Map<String, Set<UserEmail>> groups,
                             ApproverTree tree, List<Policy> policies, Policy defaultPolicy, Intervals intervals) {
    public ClearanceConfig {
        users = Map.copyOf(users);
        groups = Map.copyOf(new LinkedHashMap<>(groups));
        policies = List.copyOf(policies);
    }

    /** Ordered; the first match wins, the default applies when none matches. */
    public Policy match(String resource, String account) {
        return policies.stream().filter(p -> p.matches(resource, account)).findFirst().orElse(defaultPolicy);
    }

    public Optional<Policy> policyNamed(String name) {
        if (defaultPolicy.name().equals(name)) {
            return Optional.of(defaultPolicy);
        }
        return policies.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public ScopePath root() {
        return tree.root();
    }
}
