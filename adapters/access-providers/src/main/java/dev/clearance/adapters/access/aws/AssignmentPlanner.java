package dev.clearance.adapters.access.aws;

import dev.clearance.core.port.AccessGrant;
import dev.clearance.core.port.GrantObstacle;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides, from the ledger's record of an assignment, what a grant or a revocation does next: hold an assignment that
 * is there, create it, poll a creation or deletion already sent, delete it, or wait. It changes the record (inside
 * {@link AssignmentLedger#change}) and calls no AWS API: {@link IdentityCenterAccessProvider} carries out the step.
 */
final class AssignmentPlanner {
    /** A creation whose request id was never recorded (the instance died during the call) is given up after this. */
    static final Duration LOST_CREATION = Duration.ofMinutes(5);

    private AssignmentPlanner() {
    }

    /** What a grant does next. */
    sealed interface GrantStep {
        record Held(String note) implements GrantStep { }
        record Create() implements GrantStep { }
        record Poll(String creationRequestId) implements GrantStep { }
        record Busy(String why) implements GrantStep { }
    }

    /** What a revocation does next. */
    sealed interface RevokeStep {
        record Done(String note) implements RevokeStep { }
        record AwaitCreation(String creationRequestId) implements RevokeStep { }
        record Delete() implements RevokeStep { }
        record PollDeletion(String deletionRequestId) implements RevokeStep { }
        record Busy(String why) implements RevokeStep { }
    }

    /** Why the policy's grant section or the request's account cannot be assigned; empty when both can. */
    static Optional<GrantObstacle> targetProblem(AccessGrant g) {
        String arn = g.target().get(PermissionSets.ATTRIBUTE);
        if (arn == null) {
            return Optional.of(new GrantObstacle("policy", "policy '" + g.policy()
                    + "' names no permission set to grant (grant: {permission-set: …})"));
        }
        return PermissionSets.arnProblem(arn).map(p -> new GrantObstacle("policy", p))
                .or(() -> PermissionSets.accountProblem(g.account()).map(p -> new GrantObstacle("account", p)));
    }

    /**
     * The grant of request {@code holder}; {@code assignedAtAws} is asked (only) when the ledger knows nothing of the
     * assignment, whether the user has it already.
     */
    static GrantStep grant(Assignment a, String holder, Instant now, Predicate<AssignmentKey> assignedAtAws) {
        if (a.holders().contains(holder)) {
            switch (a.state()) {
                case PRESENT -> {
                    return new GrantStep.Held(a.origin() == Assignment.Origin.STANDING ? standingNote() : null);
                }
                case CREATING -> {
                    // a retry after a crash: the creation this request started is polled, or sent again if it never answered
                    return a.creationRequestId() == null ? new GrantStep.Create() : new GrantStep.Poll(a.creationRequestId());
                }
                default -> a.holders().remove(holder); // a stale hold (the assignment went away meanwhile): start over
            }
        }
        switch (a.state()) {
            case DELETING -> {
                return new GrantStep.Busy("the same assignment is being removed at the end of request " + a.releasedBy()
                        + "; the grant is tried again once it is gone");
            }
            case CREATING -> {
                if (a.creationRequestId() == null) {
                    return new GrantStep.Busy("the same assignment is being created for request "
                            + String.join(", ", a.holders()) + "; the grant is tried again");
                }
                a.holders().add(holder);
                return new GrantStep.Poll(a.creationRequestId());
            }
            case PRESENT -> {
                List<String> others = List.copyOf(a.holders());
                a.holders().add(holder);
                return new GrantStep.Held(a.origin() == Assignment.Origin.STANDING ? standingNote()
                        : "the user already holds this assignment through request " + String.join(", ", others)
                        + "; it is removed when the last of them ends");
            }
            default -> {
                // NB: never take over an assignment Clearance did not make: one that is there already is standing
                // access, held but never removed.
                if (assignedAtAws.test(a.key())) {
                    a.present(Assignment.Origin.STANDING, now);
                    a.holders().add(holder);
                    return new GrantStep.Held(standingNote());
                }
                a.startCreating(now);
                a.holders().add(holder);
                return new GrantStep.Create();
            }
        }
    }

    private static String standingNote() {
        return "the user had this assignment before this grant: it is left in place when the grant ends";
    }

    /** The revocation of request {@code holder}. */
    static RevokeStep revoke(Assignment a, String holder, Instant now) {
        if (!a.holders().contains(holder)) {
            if (a.state() == Assignment.State.DELETING && holder.equals(a.releasedBy())) {
                // a retry: the deletion this request started is polled, or sent again if it failed or never answered
                return a.deletionRequestId() == null ? new RevokeStep.Delete() : new RevokeStep.PollDeletion(a.deletionRequestId());
            }
            return new RevokeStep.Done(null);
        }
        if (a.holders().size() > 1) {
            a.holders().remove(holder);
            // NB: overlapping grants: the assignment stays until the last request holding it ends
            return new RevokeStep.Done("left in place: request " + String.join(", ", a.holders()) + " still holds it");
        }
        if (a.state() == Assignment.State.CREATING) {
            if (a.creationRequestId() != null) {
                return new RevokeStep.AwaitCreation(a.creationRequestId());
            }
            if (Duration.between(a.updatedAt(), now).compareTo(LOST_CREATION) < 0) {
                // NB: a creation call may still be on its way: deleting now could land before it and leave access
                return new RevokeStep.Busy("the assignment's creation has not answered yet; the revocation is tried again");
            }
            // the creation never answered (its instance died mid-call): delete whatever it may have made
        }
        a.holders().remove(holder);
        if (a.origin() == Assignment.Origin.STANDING && a.state() == Assignment.State.PRESENT) {
            // NB: Clearance never removes access it did not add
            a.absent(now);
            return new RevokeStep.Done("left in place: the user had this assignment before Clearance granted it");
        }
        a.startDeleting(holder, now);
        return new RevokeStep.Delete();
    }

    /** The requests that hold an assignment Clearance made, counting the one whose end is deleting it. */
    static Set<String> holders(Assignment a) {
        Set<String> holders = new LinkedHashSet<>(a.holders());
        if (a.state() == Assignment.State.DELETING && a.releasedBy() != null) {
            holders.add(a.releasedBy());
        }
        return holders;
    }
}
