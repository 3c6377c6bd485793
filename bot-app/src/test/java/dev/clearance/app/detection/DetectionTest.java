package dev.clearance.app.detection;

import dev.clearance.app.support.AppTestBase;
import dev.clearance.app.support.ElasticMq;
import dev.clearance.core.notify.NotificationKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application consuming recorded CloudTrail events from a real SQS server (ElasticMQ), as it does in
 * production: the AWS SDK finds the queue through its usual settings ({@code aws.endpointUrl}, the twin of
 * {@code AWS_ENDPOINT_URL}). The consumer runs on its own threads, so the test waits (bounded) for what it caused.
 */
class DetectionTest extends AppTestBase {
    private static final String FIXTURES = "../adapters/aws-detection/src/test/resources/cloudtrail/";
    private static final String FIXTURE_EVENT_ID = "3f1d4e0c-8c55-4d8b-9a77-5f0c9d1e2a11";
    private static final ElasticMq MQ = new ElasticMq();
    private static final String[] QUEUE = MQ.queueWithDeadLetters("clearance-detection", 2, 1);

    static {
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        System.setProperty("aws.endpointUrl", MQ.url());
    }

    @DynamicPropertySource
    static void detection(DynamicPropertyRegistry registry) {
        registry.add("clearance.detection.queue-url", () -> QUEUE[0]);
        registry.add("clearance.detection.wait-time", () -> "1s");
    }

    @AfterAll
    static void stop() {
        for (String p : new String[]{"aws.region", "aws.accessKeyId", "aws.secretAccessKey", "aws.endpointUrl"}) {
            System.clearProperty(p);
        }
        MQ.close();
    }

    @Autowired
    JdbcClient jdbc;

    private static String fixture(String name) {
        try {
            return Files.readString(Path.of(FIXTURES + name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The recorded denial of s3:DeleteBucket by alice's Identity Center session, as another call (a new event id). */
    private static String aliceDeletesABucket(String eventId) {
        return fixture("sso-scp-deny-s3-deletebucket.json").replace(FIXTURE_EVENT_ID, eventId);
    }

    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private long requestsOf(String requester, String resource) {
        return jdbc.sql("SELECT COUNT(*) FROM access_request WHERE requester = ? AND resource = ?")
                .params(requester, resource).query(Long.class).single();
    }

    private long events(String outcome) {
        return jdbc.sql("SELECT COUNT(*) FROM detected_event WHERE outcome = ?").param(outcome).query(Long.class).single();
    }

    @Test
    void aProtectedAttemptBecomesARequestAndTheRequestersPromptAndAThousandCopiesMakeOneRequest() {
        String first = UUID.randomUUID().toString();
        MQ.send(QUEUE[0], List.of(aliceDeletesABucket(first), aliceDeletesABucket(first))); // delivered twice
        await("the event opens a request", () -> requestsOf("alice@example.com", "s3:DeleteBucket") == 1
                && MQ.messages(QUEUE[0]) == 0);
        settle();
        String id = jdbc.sql("SELECT id FROM access_request WHERE requester = ? AND resource = ?")
                .params("alice@example.com", "s3:DeleteBucket").query(String.class).single();
        JsonNode request = get(id).body();
        assertThat(request.get("status").asString()).isEqualTo("REQUESTED");
        assertThat(request.get("account").asString()).isEqualTo("111122223333");
        assertThat(request.get("source").asString()).startsWith("cloudtrail: s3:DeleteBucket denied on arn:aws:s3:::")
                .contains("(event " + first + ")");
        assertThat(request.get("audit").toString()).contains("cloudtrail");
        assertThat(chat.to("alice@example.com", id)).extracting(m -> m.kind()).containsExactly(NotificationKind.JUSTIFICATION_PROMPT);

        List<String> copies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            copies.add(aliceDeletesABucket(UUID.randomUUID().toString()));
        }
        MQ.send(QUEUE[0], copies);
        await("a thousand more attempts are counted", () -> events("counted") >= 1000 && MQ.messages(QUEUE[0]) == 0);
        assertThat(requestsOf("alice@example.com", "s3:DeleteBucket")).isEqualTo(1);
        assertThat(events("counted")).isEqualTo(1000);
        assertThat(events("opened")).isEqualTo(1);
        withdraw(id, "alice@example.com");
    }

    @Test
    void aPoisonMessageIsLeftForTheDeadLetterQueueWhileTheRestFlows() {
        MQ.send(QUEUE[0], List.of(fixture("malformed-not-json.txt"), fixture("sso-disabled-sagemaker.json"),
                fixture("iam-user-denied.json"), fixture("malformed-no-eventid.json")));
        await("the readable ones are handled and the unreadable ones moved to the dead-letter queue",
                () -> MQ.messages(QUEUE[0]) == 0 && MQ.messages(QUEUE[1]) == 2);
        settle();
        assertThat(chat.to("dave@example.com")).extracting(m -> m.kind()).containsExactly(NotificationKind.SERVICE_DISABLED);
        assertThat(events("notice")).isEqualTo(1);
        String metrics = api.get("/actuator/prometheus").raw();
        assertThat(metrics).contains("clearance_detection_events_total{reason=\"\",verdict=\"unreadable\"}")
                .contains("clearance_detection_events_total{reason=\"unmapped-identity\",verdict=\"ignored\"}")
                .contains("clearance_detection_events_received_total")
                .contains("clearance_detection_message_age_seconds_max");
    }
}
