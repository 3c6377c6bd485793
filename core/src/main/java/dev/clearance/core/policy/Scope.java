package dev.clearance.core.policy;

import dev.clearance.core.model.ScopePath;

import java.util.Set;

/**
 * A node of the approver tree: who approves and administers requests at this scope and below, which accounts live
 * here, and optionally chat channels (platform name to channel id) where its approval requests are posted once
 * instead of a direct message to each approver.
 */
public record Scope(ScopePath path, ApproverSet approvers, ApproverSet admins, Set<String> accounts,
                    java.util.Map<String, String> approvalChannels) {
    public Scope {
        accounts = Set.copyOf(accounts);
        approvalChannels = java.util.Map.copyOf(approvalChannels);
    }

    public Scope(ScopePath path, ApproverSet approvers, ApproverSet admins, Set<String> accounts) {
        this(path, approvers, admins, accounts, java.util.Map.of());
    }
}
