package dev.clearance.core.notify;

import dev.clearance.core.model.AccessDuration;

import java.util.List;

/** The policy dry run: which policy applies to an access and who would approve it. */
public record PolicyPreview(String policy, AccessDuration maxDuration, boolean justificationRequired,
                            boolean selfApprovalAllowed, String scope, List<StepPreview> steps) {
    public PolicyPreview {
        steps = List.copyOf(steps);
    }

    public record StepPreview(String name, int required, List<String> approvers) {
        public StepPreview {
            approvers = List.copyOf(approvers);
        }
    }
}
