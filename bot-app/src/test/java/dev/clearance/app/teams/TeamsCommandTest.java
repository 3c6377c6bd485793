package dev.clearance.app.teams;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bot commands in a personal chat; replies go back through the connector. */
class TeamsCommandTest extends TeamsTestBase {

    private String say(String who, String text) {
        int before = TEAMS.to(who, "POST").size();
        assertOk(activity(TEAMS.message(who, text)));
        List<FakeTeams.Sent> replies = TEAMS.to(who, "POST");
        assertThat(replies).hasSize(before + 1);
        FakeTeams.Sent reply = replies.get(replies.size() - 1);
        assertThat(reply.activityId()).as("a reply to the user's message").isNotNull();
        return reply.card();
    }

    @Test
    void helpAndUnknownCommandsShowTheCommands() {
        assertThat(say("bob", "help")).contains("**request**", "**whoapproves**");
        assertThat(say("bob", "<at>Clearance</at> dance")).contains("I don't know **dance**", "**pending**");
    }

    @Test
    void requestSendsTheFormAndPendingShowWhoApprovesWork() {
        assertThat(say("bob", "request")).contains("\"verb\":\"clearance.request\"", "follows from the account")
                .as("no scope to choose").doesNotContain("Input.ChoiceSet\",\"id\":\"scope\"", "org/prod");
        String id = intake("bob@example.com", "ec2:DeleteVolume", "210987654321");
        justify(id, "bob@example.com", "1h");
        String olgasList = say("olga", "<at>Clearance</at> pending");
        assertThat(olgasList).contains(id).as("olga can decide it: Approve and Deny, as on Slack")
                .contains("\"verb\":\"clearance.approve\"", "\"verb\":\"clearance.deny\"");
        assertThat(say("bob", "pending")).as("the requester sees it, without buttons").contains(id)
                .doesNotContain("\"verb\":\"clearance.approve\"");
        // Approve from the list asks for the reason on the request's own card; nothing is decided yet
        Reply fromList = activity(TEAMS.invoke("olga", dev.clearance.cards.Actions.APPROVE, java.util.Map.of("requestId", id)));
        assertThat(fromList.card()).contains("Give a reason for your decision", "\"verb\":\"clearance.approve\"");
        assertThat(status(id)).isEqualTo("PENDING");
        assertThat(say("sam", "pending")).doesNotContain(id);
        assertThat(say("bob", "show " + id)).contains("Audit trail", "justified; duration 1h");
        assertThat(say("sam", "show " + id)).contains("Only the requester and the approvers or admins");
        assertThat(say("bob", "whoapproves s3:DeleteBucket 123456789012")).contains("prod-destructive", "Security review: 2 of");
        assertThat(say("bob", "cancel " + id)).contains("withdrawn");
        assertThat(status(id)).isEqualTo("CANCELLED");
    }

    @Test
    void adminsRevokeOthersAreRefused() {
        String id = intake("bob@example.com", "ec2:CopyImage", "210987654321");
        justify(id, "bob@example.com", "1d");
        decide(id, "olga@example.com", "approve");
        settle();
        assertThat(say("olga", "revoke " + id + " done")).contains("not an administrator");
        assertThat(say("root", "revoke " + id + " incident closed")).contains("Revoking access");
        settle();
        assertThat(status(id)).isEqualTo("ENDED");
    }
}
