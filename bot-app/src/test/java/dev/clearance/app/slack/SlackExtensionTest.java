package dev.clearance.app.slack;

import dev.clearance.cards.Actions;
import dev.clearance.cards.slack.SlackIds;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expiry notice and the extension flow as a Slack user goes through it: signed clicks and modal submissions
 * through /slack/events, WireMock playing the Web API.
 */
class SlackExtensionTest extends SlackTestBase {

    /** Alice justified in Slack, Pat approved in Slack for 2 h; the grant is active. */
    private String grantedThroughSlack() {
        String id = intake("alice@example.com", "ec2:Extend" + UUID.randomUUID().toString().substring(0, 8), "123456789012");
        settle();
        send(blockAction("UALICE", Actions.PROVIDE_JUSTIFICATION, id));
        send(viewSubmission("UALICE", SlackIds.JUSTIFY_MODAL, id, Map.of(SlackIds.JUSTIFICATION_BLOCK, "INC-9: migration"),
                Map.of(SlackIds.DURATION_BLOCK, "1h")));
        settle();
        send(blockAction("UPAT", Actions.APPROVE, id));
        send(viewSubmission("UPAT", SlackIds.DECIDE_MODAL, "approve:" + id, Map.of(SlackIds.REASON_BLOCK, "ok"),
                Map.of(SlackIds.DURATION_BLOCK, "2h")));
        settle();
        assertThat(get(id).body().at("/grant/state").asString()).isEqualTo("ACTIVE");
        return id;
    }

    private List<Map<String, String>> posts(String channel, String containing) {
        return SLACK.calls("chat.postMessage", channel).stream().filter(c -> c.get("blocks").contains(containing)).toList();
    }

    private static List<String> extendForms() {
        return SLACK.calls("views.open").stream().map(c -> c.get("view")).filter(v -> v.contains(SlackIds.EXTEND_MODAL)).toList();
    }

    @Test
    void extendFromTheNoticeApproveInSlackAndTheEndMoves() {
        String id = grantedThroughSlack();
        Instant end = Instant.parse(get(id).body().at("/grant/expiresAt").asString());

        advance(Duration.ofMinutes(110));
        List<Map<String, String>> notices = posts("DALICE", Actions.EXTEND).stream()
                .filter(c -> c.get("blocks").contains(id)).toList();
        assertThat(notices).singleElement().satisfies(n -> assertThat(n.get("text")).contains("ends at"));

        send(blockAction("UPAT", Actions.EXTEND, id));
        assertThat(SLACK.responses()).singleElement().satisfies(r -> assertThat(r.get("text")).containsIgnoringCase("only the requester"));
        assertThat(extendForms()).as("no form for someone else").isEmpty();

        send(blockAction("UALICE", Actions.EXTEND, id));
        String form = extendForms().get(0);
        assertThat(form).contains(SlackIds.EXTEND_MODAL, "\"private_metadata\":\"" + id + "\"", "How much longer?")
                .doesNotContain("until-revoked");

        String hostile = "<!channel> need <@U0ADMIN> more <https://evil.example|time>";
        SlackResponse submitted = send(viewSubmission("UALICE", SlackIds.EXTEND_MODAL, id,
                Map.of(SlackIds.JUSTIFICATION_BLOCK, hostile), Map.of(SlackIds.DURATION_BLOCK, "1h")));
        assertThat(submitted.body()).isEmpty();
        SlackResponse twice = send(viewSubmission("UALICE", SlackIds.EXTEND_MODAL, id,
                Map.of(SlackIds.JUSTIFICATION_BLOCK, "again"), Map.of(SlackIds.DURATION_BLOCK, "4h")));
        assertThat(twice.json().get("response_action").asString()).isEqualTo("errors");
        assertThat(twice.json().at("/errors/" + SlackIds.JUSTIFICATION_BLOCK).asString()).contains("already waiting");

        JsonNode pending = api.get("/api/v1/requests?requester=alice@example.com&status=PENDING").body().get("items");
        String ext = null;
        for (JsonNode item : pending) {
            if (id.equals(item.path("extensionOf").asString(null))) {
                ext = item.get("id").asString();
            }
        }
        assertThat(ext).as("one extension of " + id).isNotNull();
        settle();
        List<Map<String, String>> asks = posts("DPAT", ext);
        assertThat(asks).singleElement().satisfies(p -> {
            assertThat(p.get("blocks")).contains("Extension needed", "extension of " + id, Actions.APPROVE);
            assertThat(p.get("blocks") + p.get("text")).doesNotContain("<!channel>", "<@U0ADMIN>", "<https://evil.example");
        });

        send(blockAction("UPAT", Actions.APPROVE, ext));
        assertThat(send(viewSubmission("UPAT", SlackIds.DECIDE_MODAL, "approve:" + ext, Map.of(SlackIds.REASON_BLOCK, "fine"),
                Map.of(SlackIds.DURATION_BLOCK, "1h"))).body()).isEmpty();
        settle();
        Instant newEnd = end.plus(Duration.ofHours(1));
        assertThat(Instant.parse(get(id).body().at("/grant/expiresAt").asString())).isEqualTo(newEnd);
        assertThat(SLACK.calls("chat.update", "DPAT").stream().map(c -> c.get("blocks")))
                .anyMatch(b -> b.contains("Extension approved") && !b.contains(Actions.APPROVE));

        advance(Duration.between(clock.instant(), end).plusMinutes(1));
        assertThat(status(id)).as("past the old end").isEqualTo("APPROVED");
        advance(Duration.between(clock.instant(), newEnd));
        assertThat(status(id)).isEqualTo("ENDED");
        List<Map<String, String>> noticeUpdates = SLACK.calls("chat.update", "DALICE").stream()
                .filter(c -> c.get("ts").equals(notices.get(0).get("ts")) || c.get("blocks").contains(id)).toList();
        assertThat(noticeUpdates.get(noticeUpdates.size() - 1).get("blocks")).doesNotContain(Actions.EXTEND);
    }

    @Test
    void absurdOrUntilRevokedDurationsInAFormAreAnErrorOnItsDurationFieldAndChangeNothing() {
        String id = grantedThroughSlack();
        String body = get(id).raw();
        for (String bad : List.of("PT9223372036854775807S", "999999d", "until-revoked")) {
            SlackResponse r = send(viewSubmission("UALICE", SlackIds.EXTEND_MODAL, id,
                    Map.of(SlackIds.JUSTIFICATION_BLOCK, "more"), Map.of(SlackIds.DURATION_BLOCK, bad)));
            assertThat(r.json().get("response_action").asString()).as(bad).isEqualTo("errors");
            assertThat(r.json().at("/errors/" + SlackIds.DURATION_BLOCK).asString()).as(bad).isNotBlank();
        }
        assertThat(get(id).raw()).isEqualTo(body);

        String pending = intake("alice@example.com", "ec2:Other" + UUID.randomUUID().toString().substring(0, 8), "123456789012");
        assertThat(justify(pending, "alice@example.com", "1h").status()).isEqualTo(200);
        settle();
        SlackResponse decided = send(viewSubmission("UPAT", SlackIds.DECIDE_MODAL, "approve:" + pending,
                Map.of(SlackIds.REASON_BLOCK, "ok"), Map.of(SlackIds.DURATION_BLOCK, "PT9223372036854775807S")));
        assertThat(decided.json().at("/errors/" + SlackIds.DURATION_BLOCK).asString()).contains("at most 366 days");
        assertThat(status(pending)).isEqualTo("PENDING");

        SlackResponse requested = send(viewSubmission("UALICE", SlackIds.REQUEST_MODAL, "",
                Map.of(SlackIds.RESOURCE_BLOCK, "ec2:Huge", SlackIds.ACCOUNT_BLOCK, "123456789012",
                        SlackIds.JUSTIFICATION_BLOCK, "INC-1"), Map.of(SlackIds.DURATION_BLOCK, "999999d")));
        assertThat(requested.json().at("/errors/" + SlackIds.DURATION_BLOCK).asString()).contains("at most 366 days");
        withdraw(pending, "alice@example.com");
        withdraw(id, "alice@example.com");
    }
}
