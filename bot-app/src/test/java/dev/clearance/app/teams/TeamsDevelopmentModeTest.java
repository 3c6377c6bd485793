package dev.clearance.app.teams;

import dev.clearance.app.support.StoreSnapshot;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Development mode ({@code TEAMS_ALLOW_UNAUTHENTICATED=true}) proves nothing about an activity, so it accepts only
 * activities whose serviceUrl is on this machine: a forged one naming another address is refused before anything is
 * fetched from it or stored (it would have become a person's conversation, and received their approval cards).
 */
class TeamsDevelopmentModeTest extends TeamsTestBase {
    @Autowired
    JdbcClient jdbc;

    private static String withServiceUrl(String activity, String serviceUrl) {
        ObjectNode a = (ObjectNode) FakeTeams.JSON.readTree(activity);
        a.put("serviceUrl", serviceUrl);
        return FakeTeams.JSON.writeValueAsString(a);
    }

    @Test
    void aServiceUrlOffThisMachineIsRefusedBeforeAnythingIsFetchedOrStored() {
        String before = StoreSnapshot.of(jdbc);
        for (String url : new String[]{"http://169.254.169.254/latest/", "http://10.0.0.5:8080", "https://smba.trafficmanager.net/emea/",
                "http://127.0.0.1.nip.io:8080", "http://localhost.example.com", "http://0x7f000001/", "http://2130706433/",
                "file:///etc/passwd", "http://[::ffff:a00:5]/", "not a url"}) {
            Reply install = activity(withServiceUrl(TEAMS.install("mallory"), url));
            assertThat(install.status()).as(url).isEqualTo(403);
            assertThat(install.body()).as(url).contains("serviceUrl");
            Reply message = activity(withServiceUrl(TEAMS.message("alice", "pending"), url));
            assertThat(message.status()).as(url).isEqualTo(403);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM teams_conversation WHERE aad_object_id = 'aad-mallory'")
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM teams_conversation WHERE aad_object_id = 'aad-alice' AND service_url <> ?")
                .param(TEAMS.serviceUrl())
                .query(Long.class).single()).as("alice's conversation still points here").isZero();
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
    }

    @Test
    void loopbackServiceUrlsAreAccepted() {
        String port = TEAMS.serviceUrl().substring(TEAMS.serviceUrl().lastIndexOf(':') + 1);
        for (String url : new String[]{"http://127.0.0.1:" + port, "http://LOCALHOST:" + port, "http://127.0.0.1:" + port + "/"}) {
            Reply r = activity(withServiceUrl(TEAMS.message("bob", "help"), url));
            assertThat(r.status()).as(url).isEqualTo(200);
        }
    }
}
