package dev.clearance.app.teams;

import dev.clearance.cards.Actions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A refused click must not show the request to someone who may not see it (what `show` would refuse them). */
class TeamsRefusalTest extends TeamsTestBase {
    @Test
    void aStrangersCraftedApproveGetsTheReasonButNotTheRequest() {
        String id = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\",\"resource\":\"ec2:Refusal"
                + java.util.UUID.randomUUID() + "\",\"account\":\"123456789012\",\"justification\":\"SECRET-INCIDENT-42\"}")
                .text("id");
        settle();
        // bob approves only in the sandbox scope: no role at all on this production request
        Reply r = activity(TEAMS.invoke("bob", Actions.APPROVE, Map.of("requestId", id, "reason", "let me in")));
        assertThat(r.status()).isEqualTo(200);
        String card = r.card();
        assertThat(card).contains("not an approver");
        assertThat(card).doesNotContain("alice@example.com").doesNotContain("Alice").doesNotContain("SECRET-INCIDENT-42")
                .doesNotContain("123456789012");
        assertThat(api.get("/api/v1/requests/" + id).text("status")).isEqualTo("PENDING");
        withdraw(id, "alice@example.com");
    }

    @Test
    void anApproversRefusalStillShowsTheRequestTheyMaySee() {
        String id = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\",\"resource\":\"ec2:Refusal"
                + java.util.UUID.randomUUID() + "\",\"account\":\"123456789012\",\"justification\":\"patching\"}").text("id");
        settle();
        activity(TEAMS.invoke("pat", Actions.APPROVE, Map.of("requestId", id, "reason", "ok")));
        Reply again = activity(TEAMS.invoke("pat", Actions.APPROVE, Map.of("requestId", id, "reason", "ok")));
        assertThat(again.card()).contains("alice@example.com");
        withdraw(id, "alice@example.com");
    }
}
