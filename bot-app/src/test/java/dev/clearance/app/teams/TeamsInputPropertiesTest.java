package dev.clearance.app.teams;

import dev.clearance.app.support.HostileText;
import dev.clearance.app.support.StoreSnapshot;
import dev.clearance.cards.Actions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of /api/messages over generated activities shaped like Teams': no 5xx for any message text or invoke
 * value, and text Clearance must refuse (NUL, controls, unpaired surrogates) changes nothing.
 */
class TeamsInputPropertiesTest extends TeamsTestBase {
    private static final long SEED = 20261124L;
    @Autowired
    JdbcClient jdbc;

    @Test
    void noActivityGets5xxAndForbiddenTextChangesNothing() {
        String id = intake("alice@example.com", "ec2:RebootInstances", "123456789012");
        settle();
        HostileText gen = new HostileText(SEED);
        for (String hostile : gen.samples(150)) {
            int shape = gen.pick(4);
            String activity = switch (shape) {
                case 0 -> TEAMS.invoke("alice", Actions.PROVIDE_JUSTIFICATION,
                        Map.of("requestId", id, "justification", hostile, "duration", "1h"));
                case 1 -> TEAMS.invoke("pat", List.of(Actions.APPROVE, Actions.DENY).get(gen.pick(2)),
                        Map.of("requestId", id, "reason", hostile, "duration", gen.pick(2) == 0 ? "1h" : hostile));
                case 2 -> TEAMS.invoke("pat", hostile, Map.of("requestId", hostile));
                default -> TEAMS.message("root", hostile);
            };
            String before = snapshot();
            Reply r = activity(escapeNonAscii(activity));
            String what = "seed " + SEED + ", shape " + shape + ", text " + HostileText.json(hostile) + " -> " + r.status()
                    + " " + r.body();
            assertThat(r.status()).as(what).isLessThan(500);
            if (HostileText.forbidden(hostile) && shape != 3) {
                assertThat(snapshot()).as("forbidden text changed the store: " + what).isEqualTo(before);
            }
        }
        withdraw(id, "alice@example.com");
    }

    /** Teams sends JSON; \\u escapes let an unpaired surrogate through, as a broken or hostile client could. */
    private static String escapeNonAscii(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (char c : json.toCharArray()) {
            out.append(c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    private String snapshot() {
        return StoreSnapshot.of(jdbc);
    }
}
