package dev.clearance.app.teams;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Copies posted in the batch that also refreshes every copy are not updated with what they already show. */
class TeamsWastedUpdatesTest extends TeamsTestBase {
    @Test
    void aFreshCopyIsNotUpdatedWithAnIdenticalCardButARealChangeReachesIt() {
        String id = intake("alice@example.com", "ec2:Wasted" + java.util.UUID.randomUUID(), "123456789012");
        settle();
        int before = TEAMS.to("pat", "PUT").size();
        assertThat(justify(id, "alice@example.com", "1h").status()).isEqualTo(200);
        settle();
        assertThat(TEAMS.to("pat", "PUT")).as("pat's approval card was posted with this very state").hasSize(before);
        assertThat(decide(id, "pia@example.com", "deny").status()).isEqualTo(200);
        settle();
        assertThat(TEAMS.to("pat", "PUT")).as("the deny changes pat's card: one updateActivity").hasSize(before + 1);
    }
}
