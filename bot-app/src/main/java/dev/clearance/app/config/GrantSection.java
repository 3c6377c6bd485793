package dev.clearance.app.config;

import dev.clearance.core.model.ScopePath;
import dev.clearance.core.policy.ApproverTree;
import dev.clearance.core.policy.GlobPattern;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.policy.Scope;
import dev.clearance.core.port.GrantSectionValidator;
import org.yaml.snakeyaml.nodes.Node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A policy's {@code grant}: what the access provider grants, in its terms. Its keys and values are the provider's
 * business ({@link GrantSectionValidator}); this reads them and reports what it finds wrong at the file's lines.
 */
final class GrantSection {
    private final PolicyYaml yaml;
    private final GrantSectionValidator validator;

    GrantSection(PolicyYaml yaml, GrantSectionValidator validator) {
        this.yaml = yaml;
        this.validator = validator;
    }

    Map<String, String> read(Node node, String key) {
        if (node == null) {
            return Map.of();
        }
        Map<String, Node> m = yaml.mapping(node, key, validator.keys());
        Map<String, String> grant = new LinkedHashMap<>();
        m.forEach((k, v) -> grant.put(k, yaml.scalar(v, key + "." + k)));
        for (GrantSectionValidator.Problem p : validator.problems(grant)) {
            yaml.problem(p.key().map(m::get).orElse(node), key + p.key().map(k -> "." + k).orElse(""), p.message());
        }
        return grant;
    }

    /** A granting policy that matches one account (no wildcard) names an account access can be granted on. */
    void checkMatchedAccount(Map<String, String> grant, Optional<GlobPattern> account, Node match, String policyKey) {
        if (!grant.isEmpty() && account.isPresent() && !account.get().toString().contains("*")
                && !account.get().toString().contains("?")) {
            validator.accountProblem(account.get().toString())
                    .ifPresent(p -> yaml.problem(match, policyKey + ".match.account", p));
        }
    }

    /** When any policy grants something, every account a scope declares must be one access can be granted on. */
    void checkScopeAccounts(Policy defaultPolicy, List<Policy> policies, ApproverTree tree, Node scopes) {
        if (defaultPolicy.grant().isEmpty() && policies.stream().allMatch(p -> p.grant().isEmpty())) {
            return;
        }
        for (ScopePath path : tree.paths()) {
            for (String account : tree.scope(path).map(Scope::accounts).orElse(Set.of())) {
                validator.accountProblem(account).ifPresent(p -> yaml.problem(scopes, "scopes[" + path + "].accounts", p));
            }
        }
    }
}
