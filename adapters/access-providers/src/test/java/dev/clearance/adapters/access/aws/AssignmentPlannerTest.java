package dev.clearance.adapters.access.aws;

import dev.clearance.adapters.access.aws.AssignmentPlanner.GrantStep;
import dev.clearance.adapters.access.aws.AssignmentPlanner.RevokeStep;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The planner alone: decisions on a ledger record, no AWS. */
class AssignmentPlannerTest {
    private static final AssignmentKey KEY = new AssignmentKey("arn:aws:sso:::instance/ssoins-1111222233334444",
            "123456789012", "arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-aaaabbbbccccdddd", "user-1");
    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void anAssignmentTheUserAlreadyHasIsStandingAndNeverDeleted() {
        Assignment a = Assignment.absent(KEY, NOW);
        assertThat(AssignmentPlanner.grant(a, "REQ-1", NOW, k -> true)).isInstanceOf(GrantStep.Held.class);
        assertThat(a.origin()).isEqualTo(Assignment.Origin.STANDING);
        assertThat(AssignmentPlanner.revoke(a, "REQ-1", NOW)).isInstanceOf(RevokeStep.Done.class);
        assertThat(a.state()).isEqualTo(Assignment.State.ABSENT);
    }

    @Test
    void anUnknownAssignmentIsCreatedAndDeletedByTheLastHolderOnly() {
        Assignment a = Assignment.absent(KEY, NOW);
        assertThat(AssignmentPlanner.grant(a, "REQ-1", NOW, k -> false)).isInstanceOf(GrantStep.Create.class);
        a.creationSent("create-1", NOW);
        a.present(Assignment.Origin.CLEARANCE, NOW);
        assertThat(AssignmentPlanner.grant(a, "REQ-2", NOW, k -> false)).isInstanceOf(GrantStep.Held.class);
        assertThat(AssignmentPlanner.revoke(a, "REQ-1", NOW)).isInstanceOf(RevokeStep.Done.class);
        assertThat(AssignmentPlanner.revoke(a, "REQ-2", NOW)).isInstanceOf(RevokeStep.Delete.class);
        assertThat(AssignmentPlanner.holders(a)).containsExactly("REQ-2");
    }

    @Test
    void aCreationThatHasNotAnsweredIsNotDeletedUntilItIsLost() {
        Assignment a = new Assignment(KEY, Assignment.Origin.CLEARANCE, Assignment.State.CREATING, null, null, null, NOW,
                Set.of("REQ-1"));
        assertThat(AssignmentPlanner.revoke(a, "REQ-1", NOW.plusSeconds(60))).isInstanceOf(RevokeStep.Busy.class);
        assertThat(AssignmentPlanner.revoke(a, "REQ-1", NOW.plus(AssignmentPlanner.LOST_CREATION)))
                .isInstanceOf(RevokeStep.Delete.class);
    }
}
