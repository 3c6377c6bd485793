package dev.clearance.core.policy;

import dev.clearance.core.model.ScopePath;

import java.util.Set;

/** A node of the approver tree: who approves and administers requests at this scope and below, and which accounts live here. */
public record Scope(ScopePath path, ApproverSet approvers, ApproverSet admins, Set<String> accounts) {
    public Scope {
        accounts = Set.copyOf(accounts);
    }
}
