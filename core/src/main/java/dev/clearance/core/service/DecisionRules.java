package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.ConflictException;
import dev.clearance.core.model.ForbiddenException;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.model.Vote;
import dev.clearance.core.policy.Approvers;
import dev.clearance.core.policy.Policy;

import java.time.Instant;
import java.util.Optional;

/**
 * Who may decide a request, right now. Used when the decision is made, and by the chat adapters to explain a click
 * before opening a form; both read the request from the store, never from the message that carried the button.
 */
final class DecisionRules {
    private DecisionRules() {
    }

    /**
     * Those of {@code candidates} whose decision would count now: not the requester under a forbidden self-approval,
     * and nobody who already approved this request. Messages with buttons go only to them.
     */
    static java.util.Set<UserEmail> actionable(AccessRequest r, Policy policy, java.util.Set<UserEmail> candidates) {
        java.util.Set<UserEmail> people = new java.util.TreeSet<>(candidates);
        people.removeIf(p -> r.voteOf(p).isPresent() || (p.equals(r.requester()) && !policy.selfApprovalAllowed()));
        return people;
    }

    /** Who is pinged when a step starts: its first recipients who can act, else the admins who can. */
    static java.util.Set<UserEmail> stepRecipients(AccessRequest r, Policy policy, Approvers approvers) {
        java.util.Set<UserEmail> people = actionable(r, policy, approvers.initialRecipients(policy, r.currentStep(), r.scope()));
        return people.isEmpty() ? actionable(r, policy, approvers.admins(r.scope())) : people;
    }

    /** Why {@code approver} may not decide {@code r} now; empty when they may. */
    static Optional<ClearanceException> refusal(AccessRequest r, Policy policy, UserEmail approver, Approvers approvers,
                                                Instant now) {
        // NB: status and deadline come from the store, not from the message that carried the button.
        if (r.status() != Status.PENDING) {
            return Optional.of(AccessRequestService.alreadyFinished(r, "decide"));
        }
        if (!now.isBefore(r.pendingDeadline().orElseThrow())) {
            return Optional.of(new ConflictException("request " + r.id() + " expired at " + r.pendingDeadline().get()
                    + " without a decision"));
        }
        // NB: one person, one approval per request, across all steps. Checked before eligibility: a second click that
        // lands after the first one completed a step must hear "you already approved", not "not an approver for step 2".
        Optional<Vote> earlier = r.voteOf(approver);
        if (earlier.isPresent()) {
            return Optional.of(new ConflictException("you already approved " + r.id() + " (" + approver + ", step "
                    + (earlier.get().step() + 1) + ", " + earlier.get().at() + ")"));
        }
        // NB: separation of duties: with self-approval forbidden the requester's vote never counts.
        if (approver.equals(r.requester()) && !policy.selfApprovalAllowed()) {
            return Optional.of(new ForbiddenException("self-approval is forbidden by policy '" + policy.name()
                    + "': " + approver + " requested " + r.id() + " and cannot decide it"));
        }
        // NB: eligibility is computed from the stored step and escalation level at the moment of the decision.
        if (!approvers.eligible(policy, r.currentStep(), r.scope(), r.escalationLevel()).contains(approver)) {
            return Optional.of(new ForbiddenException(approver + " is not an approver for "
                    + policy.step(r.currentStep()).label(r.currentStep()) + " (step " + (r.currentStep() + 1)
                    + " of policy '" + policy.name() + "') at scope " + r.scope()));
        }
        return Optional.empty();
    }
}
