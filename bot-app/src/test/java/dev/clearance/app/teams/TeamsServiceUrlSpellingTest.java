package dev.clearance.app.teams;

import dev.clearance.app.support.StoreSnapshot;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Development mode judges a serviceUrl exactly as botbuilder will use it. Found by the penetration test of issue 19:
 * {@code " http://127.0.0.1/"} passed the loopback check (which stripped it) and then failed inside the SDK
 * ("Invalid Service URL"), a 500 and a stack trace in the log for a bad input.
 */
class TeamsServiceUrlSpellingTest extends TeamsTestBase {
    @Autowired
    JdbcClient jdbc;

    private static String withServiceUrl(String activity, String serviceUrl) {
        ObjectNode a = (ObjectNode) FakeTeams.JSON.readTree(activity);
        a.put("serviceUrl", serviceUrl);
        return FakeTeams.JSON.writeValueAsString(a);
    }

    @Test
    void aServiceUrlWithSpacesAroundItIsRefusedNotA500() {
        String before = StoreSnapshot.of(jdbc);
        for (String url : new String[]{" " + TEAMS.serviceUrl(), TEAMS.serviceUrl() + " ", "\t" + TEAMS.serviceUrl(),
                TEAMS.serviceUrl() + "\n"}) {
            Reply r = activity(withServiceUrl(TEAMS.message("alice", "pending"), url));
            assertThat(r.status()).as("[" + url + "] " + r.body()).isEqualTo(403);
            assertThat(r.body()).contains("serviceUrl");
        }
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
    }
}
