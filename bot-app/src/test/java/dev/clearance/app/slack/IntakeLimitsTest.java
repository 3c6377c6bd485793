package dev.clearance.app.slack;

import dev.clearance.app.support.ApiClient;
import dev.clearance.cards.slack.SlackIds;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy file's limits against approval fatigue, through the REST API and a Slack form, with tight limits
 * (policy/clearance-limits.yml: 1h after a denial, 3 open requests, 5 requests an hour). Each test files as its own
 * person, so that the counts of one do not reach another.
 */
@TestPropertySource(properties = "clearance.config=src/test/resources/policy/clearance-limits.yml")
class IntakeLimitsTest extends SlackTestBase {
    private static final String DEV_ACCOUNT = "210987654321"; // org/dev: olga approves, default policy
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private record Raw(int status, String retryAfter, JsonNode body) {
    }

    /** An intake as an integrator sends it, with the response's headers. */
    private Raw intakeRaw(String requester, String resource, String justification, String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri("/api/v1/requests"))
                .header("Authorization", "Bearer " + ApiClient.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"requester\":\"" + requester + "\",\"resource\":\"" + resource
                        + "\",\"account\":\"" + DEV_ACCOUNT + "\"" + (justification == null ? "" : ",\"justification\":\""
                        + justification + "\"") + "}"));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Raw(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), json.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertLimited(Raw r, String limit, Instant retryAt, Instant now) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(429);
        assertThat(r.body().get("title").asString()).isEqualTo("Limit reached: " + limit);
        assertThat(r.body().get("limit").asString()).isEqualTo(limit);
        assertThat(r.body().get("detail").asString()).contains(limit);
        assertThat(Instant.parse(r.body().get("retryAt").asString())).isEqualTo(retryAt);
        assertThat(Long.parseLong(r.retryAfter())).isEqualTo(Math.max(1, Duration.between(now, retryAt).toSeconds()));
    }

    @Test
    void deniedThenFiledAgainAtOnceIsRefusedUntilTheCooldownEnds() {
        // five deny-and-refile rounds paged the approver five times (issue 19)
        Raw first = intakeRaw("sid@example.com", "ec2:RebootInstances", "INC-1", null);
        assertThat(first.status()).isEqualTo(201);
        String id = first.body().get("id").asString();
        assertThat(decide(id, "olga@example.com", "deny").status()).isEqualTo(200);
        Instant deniedAt = clock.instant();
        settle();

        clock.set(deniedAt.plus(Duration.ofMinutes(20)));
        long before = count("sid@example.com");
        assertLimited(intakeRaw("sid@example.com", "ec2:RebootInstances", "INC-1 again", null), "limits.new-request-after-denial",
                deniedAt.plus(Duration.ofHours(1)), clock.instant());
        assertThat(count("sid@example.com")).as("nothing stored").isEqualTo(before);
        assertThat(intakeRaw("sid@example.com", "ec2:StopInstances", null, null).status()).as("another access").isEqualTo(201);

        advance(Duration.ofMinutes(40));
        Raw later = intakeRaw("sid@example.com", "ec2:RebootInstances", "INC-1, with the runbook", null);
        assertThat(later.status()).as(later.body().toString()).isEqualTo(201);
        withdrawAll("sid@example.com");
    }

    @Test
    void openRequestsAreCappedButAReplayOrTheSameAccessIsAnsweredWithTheRequestThatExists() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Raw r = intakeRaw("sue@example.com", "ec2:Open" + i, null, "sue-open-" + i);
            assertThat(r.status()).isEqualTo(201);
            ids.add(r.body().get("id").asString());
        }
        Raw fourth = intakeRaw("sue@example.com", "ec2:Open3", null, null);
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.body().get("limit").asString()).isEqualTo("limits.open-requests-per-person");
        assertThat(fourth.body().get("detail").asString()).contains("3 open requests", "withdraw one");
        assertThat(Long.parseLong(fourth.retryAfter())).as("until the first justification window closes").isPositive();

        Raw replay = intakeRaw("sue@example.com", "ec2:Open0", null, "sue-open-0");
        assertThat(replay.status()).as("an idempotent replay is answered, not limited").isEqualTo(200);
        assertThat(replay.body().get("id").asString()).isEqualTo(ids.get(0));
        Raw same = intakeRaw("sue@example.com", "ec2:Open1", null, null);
        assertThat(same.status()).as("the access already requested is answered, not limited").isEqualTo(200);
        assertThat(same.body().get("id").asString()).isEqualTo(ids.get(1));
        assertThat(count("sue@example.com")).isEqualTo(3);

        withdraw(ids.get(2), "sue@example.com");
        assertThat(intakeRaw("sue@example.com", "ec2:Open3", null, null).status()).isEqualTo(201);
        withdrawAll("sue@example.com");
    }

    @Test
    void requestsPerHourAreCappedUntilTheOldestLeavesTheHour() {
        Instant start = clock.instant();
        for (int i = 0; i < 5; i++) {
            Raw r = intakeRaw("pia@example.com", "ec2:Hourly" + i, null, null);
            assertThat(r.status()).isEqualTo(201);
            withdraw(r.body().get("id").asString(), "pia@example.com");
            if (i == 0) {
                start = clock.instant();
            }
            advance(Duration.ofMinutes(5));
        }
        Instant now = clock.instant();
        assertLimited(intakeRaw("pia@example.com", "ec2:Hourly5", null, null), "limits.requests-per-hour-per-person",
                start.plus(Duration.ofHours(1)), now);
        advance(Duration.between(now, start.plus(Duration.ofHours(1))));
        assertThat(intakeRaw("pia@example.com", "ec2:Hourly5", null, null).status()).isEqualTo(201);
        withdrawAll("pia@example.com");
    }

    @Test
    void theSlackFormSaysWhichLimitAndWhenToTryAgain() {
        for (int i = 0; i < 3; i++) {
            assertThat(intakeRaw("zed@example.com", "ec2:Chat" + i, null, null).status()).isEqualTo(201);
        }
        SlackResponse refused = send(viewSubmission("UZED", SlackIds.REQUEST_MODAL, "",
                Map.of(SlackIds.RESOURCE_BLOCK, "ec2:Chat3", SlackIds.ACCOUNT_BLOCK, DEV_ACCOUNT,
                        SlackIds.JUSTIFICATION_BLOCK, "one more"), Map.of(SlackIds.DURATION_BLOCK, "1h")));
        assertThat(refused.status()).isEqualTo(200);
        String error = refused.json().at("/errors/" + SlackIds.RESOURCE_BLOCK).asString();
        assertThat(error).contains("limits.open-requests-per-person", "withdraw one", "at the latest");
        assertThat(count("zed@example.com")).isEqualTo(3);
        withdrawAll("zed@example.com");

        SlackResponse ok = send(viewSubmission("UZED", SlackIds.REQUEST_MODAL, "",
                Map.of(SlackIds.RESOURCE_BLOCK, "ec2:Chat3", SlackIds.ACCOUNT_BLOCK, DEV_ACCOUNT,
                        SlackIds.JUSTIFICATION_BLOCK, "one more"), Map.of(SlackIds.DURATION_BLOCK, "1h")));
        assertThat(ok.body()).as("accepted once one is withdrawn").isEmpty();
        withdrawAll("zed@example.com");
    }

    private long count(String requester) {
        return api.get("/api/v1/requests?requester=" + requester + "&size=100").body().get("total").asLong();
    }

    private void withdrawAll(String requester) {
        for (JsonNode item : api.get("/api/v1/requests?requester=" + requester + "&status=REQUESTED,PENDING&size=100")
                .body().get("items")) {
            withdraw(item.get("id").asString(), requester);
        }
    }
}
