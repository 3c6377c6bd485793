package dev.clearance.core.port;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.UserEmail;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The open (REQUESTED or PENDING) requests one person might see under "pending", as a filter the store runs inside its
 * query. The cost of a listing then follows what the person may see, not how many requests are open: the first
 * version read every open request and filtered in memory, so anyone in the workspace could make it read all of them.
 * <p>
 * A request matches when any of these holds:
 * <ul>
 *   <li>the viewer requested it;</li>
 *   <li>its scope is at or below one of {@code adminScopes};</li>
 *   <li>it is PENDING before its deadline, and its scope is at or below one of {@code approverScopes}, or its policy
 *       and current step are one of {@code namedSteps}, or (when the viewer has any approver role) its policy is not
 *       one of {@code knownPolicies}, which happens after a policy is renamed: such a request is matched again by
 *       resource and account, and the service decides.</li>
 * </ul>
 * It is a superset of what the viewer may act on: the service still applies the exact decision rules (votes,
 * self-approval, escalation level) to each request the store returns.
 */
public record PendingFilter(UserEmail viewer, List<ScopePath> adminScopes, List<ScopePath> approverScopes,
                            List<StepRef> namedSteps, Set<String> knownPolicies, Instant now) {
    public PendingFilter {
        adminScopes = List.copyOf(adminScopes);
        approverScopes = List.copyOf(approverScopes);
        namedSteps = List.copyOf(namedSteps);
        knownPolicies = Set.copyOf(knownPolicies);
    }

    /** Step {@code step} (0-based) of the policy named {@code policy}. */
    public record StepRef(String policy, int step) {
    }

    /** Where the previous batch ended, newest first: the next batch starts strictly after it. */
    public record After(Instant createdAt, RequestId id) {
    }

    public boolean hasApproverRole() {
        return !approverScopes.isEmpty() || !namedSteps.isEmpty();
    }

    /**
     * Whether the viewer approves or administers anything: without a role, a person is eligible for no step of any
     * request (escalations reach scope approvers and admins only), so they may see only their own requests.
     */
    public boolean hasAnyRole() {
        return !adminScopes.isEmpty() || hasApproverRole();
    }
}
