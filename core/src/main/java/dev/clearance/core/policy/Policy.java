package dev.clearance.core.policy;

import dev.clearance.core.model.AccessDuration;

import java.util.List;
import java.util.Optional;

/** An access policy: when it applies, how long access may last, and the ordered approval steps. */
public record Policy(String name, Optional<GlobPattern> resource, Optional<GlobPattern> account,
                     AccessDuration maxDuration, boolean selfApprovalAllowed, List<PolicyStep> steps) {
    public static final String DEFAULT_NAME = "default";

    public Policy {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("policy '" + name + "' has no steps");
        }
    }

    /** One step of scope approvers needing one approval; self-approval forbidden. */
    public static Policy defaultPolicy(AccessDuration maxDuration) {
        return new Policy(DEFAULT_NAME, Optional.empty(), Optional.empty(), maxDuration, false,
                List.of(new PolicyStep(Optional.of("Scope approvers"), ApproverSet.scopeApproversOnly(), 1)));
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
