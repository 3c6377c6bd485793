package dev.clearance.core.policy;

import java.util.Optional;

/** One approval step: who is eligible and how many distinct approvals complete it. */
public record PolicyStep(Optional<String> name, ApproverSet approvers, int required) {
    public PolicyStep {
        if (required < 1) {
            throw new IllegalArgumentException("a step needs at least 1 approval");
        }
    }

    /** "Security review", or "Step 2" when unnamed. */
    public String label(int index) {
        return name.orElse("Step " + (index + 1));
    }
}
