package dev.clearance.core.view;

import dev.clearance.core.model.AccessDuration;

import java.util.List;
import java.util.Optional;

/**
 * The policy dry run: which policy applies to an access and who would approve it.
 *
 * @param cannotGrant      why the access provider could not grant it (e.g. the person has no user there); a request
 *                         for it is refused
 * @param maxTotalDuration the policy's cap on a grant and all its extensions together
 */
public record PolicyPreview(String policy, AccessDuration maxDuration, boolean justificationRequired,
                            boolean selfApprovalAllowed, String scope, List<StepPreview> steps, Optional<String> cannotGrant,
                            AccessDuration maxTotalDuration) {
    public PolicyPreview {
        steps = List.copyOf(steps);
    }

    /** With the default total: twice {@code maxDuration}. */
    public PolicyPreview(String policy, AccessDuration maxDuration, boolean justificationRequired,
                         boolean selfApprovalAllowed, String scope, List<StepPreview> steps, Optional<String> cannotGrant) {
        this(policy, maxDuration, justificationRequired, selfApprovalAllowed, scope, steps, cannotGrant, maxDuration.twice());
    }

    public PolicyPreview(String policy, AccessDuration maxDuration, boolean justificationRequired,
                         boolean selfApprovalAllowed, String scope, List<StepPreview> steps) {
        this(policy, maxDuration, justificationRequired, selfApprovalAllowed, scope, steps, Optional.empty());
    }

    public record StepPreview(String name, int required, List<String> approvers) {
        public StepPreview {
            approvers = List.copyOf(approvers);
        }
    }
}
