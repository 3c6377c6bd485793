package dev.clearance.app.slack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refresh of every copy is queued with the change that posts new copies: those new copies already show the new
 * state, so updating them would be an identical chat.update. Only copies whose rendering changed are updated.
 */
class SlackWastedUpdatesTest extends SlackTestBase {
    @Test
    void copiesPostedInTheSameBatchAreNotUpdatedWithWhatTheyAlreadyShow() {
        String id = intake("alice@example.com", "ec2:Wasted" + java.util.UUID.randomUUID(), "123456789012");
        settle();
        assertThat(justify(id, "alice@example.com", "1h").status()).isEqualTo(200);
        settle();
        assertThat(SLACK.calls("chat.postMessage", "DPAT")).as("the approval request").hasSize(1);
        assertThat(SLACK.calls("chat.update", "DPAT")).as("pat's copy was posted with this very state").isEmpty();
        assertThat(SLACK.calls("chat.update", "DALICE")).as("alice's prompt changed: its buttons go").isNotEmpty();

        int aliceUpdates = SLACK.calls("chat.update", "DALICE").size();
        assertThat(decide(id, "pat@example.com", "deny").status()).isEqualTo(200);
        settle();
        assertThat(SLACK.calls("chat.update", "DPAT")).as("a real change still reaches every copy").hasSize(1);
        assertThat(SLACK.calls("chat.update", "DALICE")).hasSize(aliceUpdates + 1);
    }
}
