package dev.clearance.core.policy;

import dev.clearance.core.model.UserEmail;

import java.util.Set;

/**
 * Who a step (or a scope of the approver tree) names as approvers: users by email, groups by name, and for a
 * policy step, optionally the approver tree at the request's scope.
 */
public record ApproverSet(Set<UserEmail> users, Set<String> groups, boolean scopeApprovers) {
    public ApproverSet {
        users = Set.copyOf(users);
        groups = Set.copyOf(groups);
    }

    public static ApproverSet scopeApproversOnly() {
        return new ApproverSet(Set.of(), Set.of(), true);
    }

    public boolean isEmpty() {
        return users.isEmpty() && groups.isEmpty() && !scopeApprovers;
    }
}
