package dev.clearance.core.policy;

import dev.clearance.core.model.AccessDuration;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An access policy: when it applies, how long access may last, the ordered approval steps, and what it grants.
 *
 * @param grant what the access provider is to grant, in its own terms (e.g. {@code permission-set: arn:aws:sso:::…});
 *              empty when the provider needs nothing beyond the request (none, webhook)
 */
public record Policy(String name, Optional<GlobPattern> resource, Optional<GlobPattern> account,
                     AccessDuration maxDuration, boolean selfApprovalAllowed, List<PolicyStep> steps,
                     Map<String, String> grant) {
    public static final String DEFAULT_NAME = "default";

    public Policy {
        steps = List.copyOf(steps);
        grant = Map.copyOf(grant);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("policy '" + name + "' has no steps");
        }
    }

    public Policy(String name, Optional<GlobPattern> resource, Optional<GlobPattern> account,
                  AccessDuration maxDuration, boolean selfApprovalAllowed, List<PolicyStep> steps) {
        this(name, resource, account, maxDuration, selfApprovalAllowed, steps, Map.of());
    }

    /** One step of scope approvers needing one approval; self-approval forbidden. */
    public static Policy defaultPolicy(AccessDuration maxDuration) {
        return defaultPolicy(maxDuration, Map.of());
    }

    public static Policy defaultPolicy(AccessDuration maxDuration, Map<String, String> grant) {
        return new Policy(DEFAULT_NAME, Optional.empty(), Optional.empty(), maxDuration, false,
                List.of(new PolicyStep(Optional.of("Scope approvers"), ApproverSet.scopeApproversOnly(), 1)), grant);
    }

    /** Both conditions ANDed; an absent condition matches anything. */
    public boolean matches(String resourceName, String accountName) {
        return resource.map(g -> g.matches(resourceName)).orElse(true)
                && account.map(g -> g.matches(accountName)).orElse(true);
    }

    public PolicyStep step(int index) {
        return steps.get(index);
    }

    public boolean isLastStep(int index) {
        return index == steps.size() - 1;
    }
}
