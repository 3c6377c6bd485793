package dev.clearance.core.policy;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.Person;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the policy file declares, already validated.
 *
 * @param unknownAccounts what intake does with an account no scope declares
 * @param limits          the per-requester limits on new requests
 * @param detection       which denied AWS calls open a request or send a notice
 */
public record ClearanceConfig(Map<UserEmail, Person> users, Map<String, Set<UserEmail>> groups,
                             ApproverTree tree, List<Policy> policies, Policy defaultPolicy, Intervals intervals,
                             UnknownAccounts unknownAccounts, Limits limits, Detection detection) {
    public ClearanceConfig {
        users = Map.copyOf(users);
        groups = Map.copyOf(new LinkedHashMap<>(groups));
        policies = List.copyOf(policies);
    }

    /** Without a detection section: every detected attempt is ignored. */
    public ClearanceConfig(Map<UserEmail, Person> users, Map<String, Set<UserEmail>> groups, ApproverTree tree,
                           List<Policy> policies, Policy defaultPolicy, Intervals intervals,
                           UnknownAccounts unknownAccounts, Limits limits) {
        this(users, groups, tree, policies, defaultPolicy, intervals, unknownAccounts, limits, Detection.none());
    }

    /** With the defaults: undeclared accounts belong to the root scope, and the default limits. */
    public ClearanceConfig(Map<UserEmail, Person> users, Map<String, Set<UserEmail>> groups, ApproverTree tree,
                           List<Policy> policies, Policy defaultPolicy, Intervals intervals) {
        this(users, groups, tree, policies, defaultPolicy, intervals, UnknownAccounts.ROOT, Limits.defaults());
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

    /**
     * The policy a request is decided and granted under: the one it was created with, by name; the first match (or the
     * default) when the policy file no longer has that name.
     */
    public Policy policyOf(AccessRequest request) {
        return policyNamed(request.policyName()).orElseGet(() -> match(request.resource(), request.account()));
    }

    public ScopePath root() {
        return tree.root();
    }
}
