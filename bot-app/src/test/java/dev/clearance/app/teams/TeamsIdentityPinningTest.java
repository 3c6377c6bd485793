package dev.clearance.app.teams;

import dev.clearance.app.support.StoreSnapshot;
import dev.clearance.cards.Actions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Teams people are pinned to the configured tenants (a comma list here) and to their Entra object id; their email is
 * the member lookup's user principal name (not Entra's {@code mail}, which an administrator can set to anyone's), and it
 * is looked up again once older than the refresh period.
 */
@TestPropertySource(properties = "clearance.teams.tenant-id=" + FakeTeams.TENANT + " , 11111111-2222-3333-4444-000000000002")
class TeamsIdentityPinningTest extends TeamsTestBase {
    private static final String OTHER_TENANT = "99999999-8888-7777-6666-555555555555";
    private static final String REFUSAL = "only acts for members of its organisation";

    @Autowired
    JdbcClient jdbc;

    private long conversationsOf(String who) {
        return jdbc.sql("SELECT COUNT(*) FROM teams_conversation WHERE aad_object_id = ?").param("aad-" + who)
                .query(Long.class).single();
    }

    private String emailStoredFor(String who) {
        return jdbc.sql("SELECT email FROM teams_conversation WHERE aad_object_id = ?").param("aad-" + who)
                .query(String.class).single();
    }

    private String pendingForPat() {
        String id = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\",\"resource\":\"ec2:Pinned"
                + UUID.randomUUID().toString().substring(0, 8) + "\",\"account\":\"123456789012\",\"justification\":\"INC-7\"}")
                .text("id");
        settle();
        return id;
    }

    @Test
    void anotherTenantsClickIsRefusedWithACardAndChangesNothing() {
        String id = pendingForPat();
        String before = StoreSnapshot.of(jdbc);
        // mallory's tenant has a "pat" too: same display name, same email in its own directory
        TEAMS.member("mallory", "aad-mallory", "pat@example.com", "pat@example.com");
        Reply r = activity(FakeTeams.fromTenant(TEAMS.invoke("mallory", Actions.APPROVE,
                Map.of("requestId", id, "reason", "approved from elsewhere")), OTHER_TENANT));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.card()).contains(REFUSAL).doesNotContain("alice@example.com");
        assertThat(TEAMS.memberLookups("mallory")).as("nothing looked up for them").isZero();
        assertThat(conversationsOf("mallory")).as("nothing stored for them").isZero();
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
        assertThat(status(id)).isEqualTo("PENDING");
        withdraw(id, "alice@example.com");
    }

    @Test
    void anotherTenantsMessageAndInstallAreRefusedWithAReplyAndStoreNothing() {
        String id = pendingForPat();
        String before = StoreSnapshot.of(jdbc);
        TEAMS.member("mallory", "aad-mallory", "alice@example.com", "alice@example.com");
        assertOk(activity(FakeTeams.fromTenant(TEAMS.install("mallory"), OTHER_TENANT)));
        assertOk(activity(FakeTeams.fromTenant(TEAMS.message("mallory", "cancel " + id), OTHER_TENANT)));
        assertThat(TEAMS.to("mallory", "POST")).singleElement().satisfies(reply -> assertThat(reply.card()).contains(REFUSAL));
        assertThat(TEAMS.memberLookups("mallory")).isZero();
        assertThat(conversationsOf("mallory")).isZero();
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
        assertThat(status(id)).isEqualTo("PENDING");
        withdraw(id, "alice@example.com");
    }

    @Test
    void twoDifferentTenantsInOneActivityAreRefused() {
        String id = pendingForPat();
        // the conversation says ours, channelData says another: which is true is unknown, so neither is believed
        String invoke = TEAMS.invoke("pat", Actions.APPROVE, Map.of("requestId", id, "reason", "ok"));
        String mixed = invoke.replace("\"tenant\":{\"id\":\"" + FakeTeams.TENANT + "\"}", "\"tenant\":{\"id\":\"" + OTHER_TENANT + "\"}");
        assertThat(mixed).isNotEqualTo(invoke);
        assertThat(activity(mixed).card()).contains(REFUSAL);
        // an activity naming no tenant at all
        String none = invoke.replace("\"tenantId\":\"" + FakeTeams.TENANT + "\",", "")
                .replace(",\"tenant\":{\"id\":\"" + FakeTeams.TENANT + "\"}", "");
        assertThat(none).doesNotContainIgnoringCase("tenant");
        assertThat(activity(none).card()).contains(REFUSAL);
        assertThat(status(id)).isEqualTo("PENDING");
        withdraw(id, "alice@example.com");
    }

    @Test
    void theSecondConfiguredTenantIsAccepted() {
        TEAMS.member("carol", "aad-carol", "carol@example.com", "carol@example.com");
        Reply r = activity(FakeTeams.fromTenant(TEAMS.message("carol", "help"), "11111111-2222-3333-4444-000000000002"));
        assertOk(r);
        assertThat(TEAMS.to("carol", "POST")).singleElement().satisfies(reply -> assertThat(reply.card()).doesNotContain(REFUSAL));
        assertThat(conversationsOf("carol")).isOne();
    }

    @Test
    void theEmailIsTheUserPrincipalNameNotTheMailAnAdministratorCanSet() {
        String id = pendingForPat();
        // eve's mail was set to pat's address; her user principal name is her own
        TEAMS.member("eve", "aad-eve", "pat@example.com", "eve@example.com");
        assertOk(activity(TEAMS.install("eve")));
        assertThat(emailStoredFor("eve")).isEqualTo("eve@example.com");
        String before = StoreSnapshot.of(jdbc);
        Reply r = activity(TEAMS.invoke("eve", Actions.APPROVE, Map.of("requestId", id, "reason", "I am pat")));
        assertThat(r.card()).doesNotContain("Your approval is recorded");
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
        assertThat(status(id)).isEqualTo("PENDING");
        withdraw(id, "alice@example.com");
    }

    @Test
    void aMemberLookupAboutAnotherObjectGivesNoIdentity() {
        String id = pendingForPat();
        // the lookup answers with someone else's object: whatever its email, it is not this sender's
        TEAMS.member("trent", "aad-pat", "pat@example.com", "pat@example.com");
        activity(TEAMS.install("trent"));
        String before = StoreSnapshot.of(jdbc);
        Reply r = activity(TEAMS.invoke("trent", Actions.APPROVE, Map.of("requestId", id, "reason", "ok")));
        assertThat(r.card()).contains("could not find the email address");
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
        withdraw(id, "alice@example.com");
    }

    @Test
    void aStoredEmailIsConfirmedBeforeAnApprovalRequestGoesToIt() {
        // a conversation kept before this version, its email from Entra's mail (set to pat's) and never confirmed
        TEAMS.member("frank", "aad-frank", "pat@example.com", "frank@example.com");
        jdbc.sql("""
                INSERT INTO teams_conversation (aad_object_id, tenant_id, user_id, user_name, conversation_id, service_url,
                                                bot_id, email, email_checked_at, blocked, updated_at)
                VALUES ('aad-frank', ?, '29:frank', 'frank', 'a:frank', ?, '28:bot', 'pat@example.com', NULL, FALSE, ?)""")
                .params(FakeTeams.TENANT, TEAMS.serviceUrl(),
                        java.time.OffsetDateTime.ofInstant(clock.instant().plusSeconds(1), java.time.ZoneOffset.UTC)).update();
        String id = pendingForPat();
        assertThat(TEAMS.to("frank", "POST")).as("pat's approval request did not go to frank").isEmpty();
        assertThat(TEAMS.to("pat", "POST")).anySatisfy(sent -> assertThat(sent.card()).contains(id));
        assertThat(emailStoredFor("frank")).isEqualTo("frank@example.com");
        withdraw(id, "alice@example.com");
    }

    @Test
    void theEmailIsLookedUpAgainAfterTheRefreshPeriod() {
        TEAMS.member("dana", "aad-dana", "pat@example.com", "pat@example.com");
        assertOk(activity(TEAMS.install("dana")));
        assertThat(emailStoredFor("dana")).isEqualTo("pat@example.com");
        long lookups = TEAMS.memberLookups("dana");

        // dana's account is renamed: within the refresh period the stored email stands, without asking Teams
        TEAMS.member("dana", "aad-dana", "dana@example.com", "dana@example.com");
        advance(Duration.ofMinutes(59));
        assertOk(activity(TEAMS.message("dana", "help")));
        assertThat(TEAMS.memberLookups("dana")).isEqualTo(lookups);

        advance(Duration.ofMinutes(2));
        String id = pendingForPat();
        String before = StoreSnapshot.of(jdbc);
        Reply r = activity(TEAMS.invoke("dana", Actions.APPROVE, Map.of("requestId", id, "reason", "still pat?")));
        assertThat(TEAMS.memberLookups("dana")).isEqualTo(lookups + 1);
        assertThat(emailStoredFor("dana")).isEqualTo("dana@example.com");
        assertThat(r.card()).doesNotContain("Your approval is recorded");
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
        assertThat(status(id)).isEqualTo("PENDING");
        withdraw(id, "alice@example.com");
    }
}
