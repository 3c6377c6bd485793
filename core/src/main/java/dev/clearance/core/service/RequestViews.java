package dev.clearance.core.service;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.model.Vote;
import dev.clearance.core.view.RequestView;
import dev.clearance.core.policy.Approvers;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Policy;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.port.Directory;
import dev.clearance.core.port.RequestStore;
import dev.clearance.core.policy.PolicySource;

import dev.clearance.core.model.GrantState;
import dev.clearance.core.model.Status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.List;

/** Builds the view the renderers and the API show, from the stored request and the current policy. */
public final class RequestViews {
    private final PolicySource policies;
    private final Directory directory;
    private final Clock clock;
    private final RequestStore store;

    /**
     * {@code clock} and {@code store}: "who can decide now" is asked of {@link RequestPermissions} at the moment of
     * rendering (for an extension, that reads the grant it extends).
     */
    public RequestViews(PolicySource policies, Directory directory, Clock clock, RequestStore store) {
        this.policies = policies;
        this.directory = directory;
        this.clock = clock;
        this.store = store;
    }

    public RequestView of(AccessRequest r) {
        ClearanceConfig config = policies.current();
        Policy policy = config.policyOf(r);
        List<RequestView.StepView> steps = new ArrayList<>();
        for (int i = 0; i < policy.steps().size(); i++) {
            steps.add(new RequestView.StepView(policy.step(i).label(i), policy.step(i).required(),
                    r.votesAt(i).stream().map(Vote::approver).map(UserEmail::value).toList()));
        }
        Optional<Duration> room = room(r, policy);
        return new RequestView(
                r.id().value(), r.status(), r.requester().value(), directory.person(r.requester()).displayName(),
                r.resource(), r.account(), r.scope().value(), r.source(), policy.name(), steps,
                Math.min(r.currentStep(), steps.size() - 1), r.requestedDuration(), r.approvedDuration(),
                policy.maxDuration(), choices(r, policy, room), r.justification(), r.createdAt(),
                r.justificationDeadline(), r.pendingSince(), r.pendingDeadline(), r.escalationLevel(), r.decidedBy(),
                r.decidedBy().map(who -> displayName(who)), r.decidedAt(), r.decisionReason(), r.grantState(),
                r.grantedAt(), r.expiresAt(), r.history(), canDecideNow(r, config, policy),
                r.extensionOf().map(dev.clearance.core.model.RequestId::value), r.providerReference(),
                policy.maxTotalDuration(), room, detectedAttempts(r));
    }

    /** Attempts counted on a request the detector opened; other requests have none, so nothing is read for them. */
    private int detectedAttempts(AccessRequest r) {
        return r.source() != null && r.source().startsWith(RequestView.DETECTED_PREFIX) ? store.detectedAttempts(r.id()) : 0;
    }

    /**
     * How much longer the grant may still be extended under the policy's total: of {@code r} itself while it is
     * active, or, on an extension, of the grant it extends; empty otherwise or when the total is until revoked.
     */
    private Optional<Duration> room(AccessRequest r, Policy policy) {
        Optional<AccessRequest> grant = r.isExtension() ? store.find(r.extensionOf().get()) : Optional.of(r);
        return grant.filter(g -> g.status() == Status.APPROVED && g.grantState() == GrantState.ACTIVE)
                .flatMap(g -> Extensions.room(policy, g));
    }

    /** The durations to choose from: the policy's menu; on an extension, the lengths that fit what is left. */
    private static List<AccessDuration> choices(AccessRequest r, Policy policy, Optional<Duration> room) {
        return r.isExtension() ? Extensions.choices(policy, room) : AccessDuration.menuUpTo(policy.maxDuration());
    }

    /**
     * Who may approve now, by {@link RequestPermissions}: the cards give Approve and Deny to them alone (a card in a
     * shared channel shows them to everyone and explains a refused click to the clicker).
     */
    private List<String> canDecideNow(AccessRequest r, ClearanceConfig config, Policy policy) {
        if (r.status() != dev.clearance.core.model.Status.PENDING) {
            return List.of();
        }
        Approvers approvers = new Approvers(config, directory);
        Instant now = clock.instant();
        Map<RequestId, Optional<AccessRequest>> read = new HashMap<>();
        Function<RequestId, Optional<AccessRequest>> requests = id -> read.computeIfAbsent(id, store::find);
        return approvers.eligible(policy, r.currentStep(), r.scope(), r.escalationLevel()).stream()
                .filter(p -> RequestPermissions.of(r, p, now, config, approvers, requests)
                        .allows(RequestPermissions.Action.APPROVE))
                .map(UserEmail::value).toList();
    }

    private String displayName(String who) {
        try {
            return directory.person(UserEmail.of(who)).displayName();
        } catch (IllegalArgumentException notAnEmail) {
            return who;
        }
    }
}
