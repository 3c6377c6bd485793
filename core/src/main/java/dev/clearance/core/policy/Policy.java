package dev.clearance.core.policy;

import dev.clearance.core.model.AccessDuration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An access policy: when it applies, how long access may last, the ordered approval steps, and what it grants.
 *
 * @param grant            what the access provider is to grant, in its own terms (e.g. {@code permission-set:
 *                         arn:aws:sso:::…}); empty when the provider needs nothing beyond the request (none, webhook)
 * @param maxTotalDuration the longest a grant and all its extensions may last together, from when it was granted;
 *                         at least {@code maxDuration}, until revoked only when that is
 * @param justificationRequired {@code justification: required} (the default): a request waits for the requester's
 *                         reason; {@code off}: it goes straight to its approvers, who still choose the duration
 */
public record Policy(String name, Optional<GlobPattern> resource, Optional<GlobPattern> account,
                     AccessDuration maxDuration, boolean selfApprovalAllowed, List<PolicyStep> steps,
                     Map<String, String> grant, AccessDuration maxTotalDuration, boolean justificationRequired) {
    public static final String DEFAULT_NAME = "default";
    /** The maximum of a policy that states none: a day (a policy file that omits it is warned about at startup). */
    public static final AccessDuration DEFAULT_MAX_DURATION = AccessDuration.of(Duration.ofDays(1));

    public Policy {
        steps = List.copyOf(steps);
        grant = Map.copyOf(grant);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("policy '" + name + "' has no steps");
        }
        if (maxDuration.exceeds(maxTotalDuration)) {
            throw new IllegalArgumentException("policy '" + name + "': max-total-duration " + maxTotalDuration
                    + " is shorter than max-duration " + maxDuration);
        }
        if (maxTotalDuration.isUntilRevoked() && !maxDuration.isUntilRevoked()) {
            throw new IllegalArgumentException("policy '" + name + "': max-total-duration may be until-revoked only "
                    + "when max-duration is");
        }
    }

    /** Justification required. */
    public Policy(String name, Optional<GlobPattern> resource, Optional<GlobPattern> account,
                  AccessDuration maxDuration, boolean selfApprovalAllowed, List<PolicyStep> steps,
                  Map<String, String> grant, AccessDuration maxTotalDuration) {
        this(name, resource, account, maxDuration, selfApprovalAllowed, steps, grant, maxTotalDuration, true);
    }

    /** With the default total: twice {@code maxDuration}. */
    public Policy(String name, Optional<GlobPattern> resource, Optional<GlobPattern> account,
                  AccessDuration maxDuration, boolean selfApprovalAllowed, List<PolicyStep> steps,
                  Map<String, String> grant) {
        this(name, resource, account, maxDuration, selfApprovalAllowed, steps, grant, defaultTotal(maxDuration));
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
        return defaultPolicy(maxDuration, grant, defaultTotal(maxDuration));
    }

    public static Policy defaultPolicy(AccessDuration maxDuration, Map<String, String> grant, AccessDuration maxTotal) {
        return defaultPolicy(maxDuration, grant, maxTotal, true);
    }

    public static Policy defaultPolicy(AccessDuration maxDuration, Map<String, String> grant, AccessDuration maxTotal,
                                       boolean justificationRequired) {
        return new Policy(DEFAULT_NAME, Optional.empty(), Optional.empty(), maxDuration, false,
                List.of(new PolicyStep(Optional.of("Scope approvers"), ApproverSet.scopeApproversOnly(), 1)), grant, maxTotal,
                justificationRequired);
    }

    /** The total a policy that states none allows a grant and its extensions: twice its maximum. */
    public static AccessDuration defaultTotal(AccessDuration maxDuration) {
        return maxDuration.twice();
    }

    /**
     * How much longer a grant that began at {@code grantedAt} and now ends at {@code end} may still be extended under
     * this policy's total; empty when the total is until revoked (no cap). Never negative.
     */
    public Optional<Duration> remainingTotal(Instant grantedAt, Instant end) {
        return maxTotalDuration.duration().map(total -> {
            Duration left = total.minus(Duration.between(grantedAt, end));
            return left.isNegative() ? Duration.ZERO : left;
        });
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
