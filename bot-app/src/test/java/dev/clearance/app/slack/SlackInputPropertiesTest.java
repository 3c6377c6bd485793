package dev.clearance.app.slack;

import dev.clearance.app.support.HostileText;
import dev.clearance.app.support.StoreSnapshot;
import dev.clearance.cards.Actions;
import dev.clearance.cards.slack.SlackIds;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the Slack endpoint over generated, correctly signed payloads shaped like Slack's: no 5xx for any
 * button value, modal text or command text, and text Clearance must refuse (NUL, controls) changes nothing.
 */
class SlackInputPropertiesTest extends SlackTestBase {
    private static final long SEED = 20261123L;
    @Autowired
    JdbcClient jdbc;

    @Test
    void noPayloadGets5xxAndForbiddenTextChangesNothing() {
        String id = intake("alice@example.com", "ec2:RebootInstances", "123456789012");
        settle();
        HostileText gen = new HostileText(SEED);
        for (String hostile : gen.samples(150)) {
            // Slack sends UTF-8: an unpaired surrogate cannot reach us from Slack, NUL and controls can (JSON escapes)
            int shape = gen.pick(5);
            String payload = switch (shape) {
                case 0 -> viewSubmission("UALICE", SlackIds.JUSTIFY_MODAL, id, Map.of(SlackIds.JUSTIFICATION_BLOCK, hostile),
                        Map.of(SlackIds.DURATION_BLOCK, "1h"));
                case 1 -> viewSubmission("UPAT", SlackIds.DECIDE_MODAL, "approve:" + id, Map.of(SlackIds.REASON_BLOCK, hostile),
                        Map.of(SlackIds.DURATION_BLOCK, "1h"));
                case 2 -> blockAction("UPAT", List.of(Actions.APPROVE, Actions.DENY, hostile).get(gen.pick(3)), hostile);
                case 3 -> viewSubmission("UALICE", SlackIds.JUSTIFY_MODAL, hostile, Map.of(SlackIds.JUSTIFICATION_BLOCK, "ok"),
                        Map.of(SlackIds.DURATION_BLOCK, hostile));
                default -> slashCommand("UROOT", hostile);
            };
            String before = snapshot();
            SlackResponse r = send(payload);
            String what = "seed " + SEED + ", shape " + shape + ", text " + HostileText.json(hostile) + " -> " + r.status()
                    + " " + r.body();
            assertThat(r.status()).as(what).isLessThan(500);
            // what Slack delivers is UTF-8: an unpaired surrogate arrives as '?', which is fine text
            String arrived = new String(hostile.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.nio.charset.StandardCharsets.UTF_8);
            if (HostileText.forbidden(arrived) && shape != 4) {
                assertThat(snapshot()).as("forbidden text changed the store: " + what).isEqualTo(before);
            }
        }
        withdraw(id, "alice@example.com");
    }

    private String snapshot() {
        return StoreSnapshot.of(jdbc);
    }
}
