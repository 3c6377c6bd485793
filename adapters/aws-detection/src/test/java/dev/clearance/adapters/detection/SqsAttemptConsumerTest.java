package dev.clearance.adapters.detection;

import dev.clearance.core.detect.Caller;
import dev.clearance.core.detect.DeniedCall;
import dev.clearance.core.detect.Verdict;
import dev.clearance.core.model.RequestId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer against a real SQS server (ElasticMQ): what is handled is deleted, what fails comes back, and what
 * cannot be read is left for the dead-letter queue while the rest flows. The reader here is a stand-in (the
 * CloudTrail one has tests of its own): a body {@code event:<id>} is a call, anything else is unreadable.
 */
class SqsAttemptConsumerTest {
    private static final ElasticMq MQ = new ElasticMq();
    private static final AtomicInteger QUEUES = new AtomicInteger();

    @AfterAll
    static void stop() {
        MQ.close();
    }

    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unreadable = new AtomicInteger();
    private final List<Duration> ages = new CopyOnWriteArrayList<>();

    private final CallReader reader = body -> {
        if (!body.startsWith("event:")) {
            throw new CallReader.UnreadableEventException("not an event: " + body);
        }
        return new DeniedCall(body.substring(6), Instant.EPOCH, new Caller(Caller.Kind.OTHER, Optional.empty(), "", ""),
                "s3:DeleteBucket", "123456789012", "eu-west-1", Optional.empty(), Optional.of("AccessDenied"));
    };

    private final SqsAttemptConsumer.Handler handler = (call, at) -> {
        if (failOnce.remove(call.eventId())) {
            throw new IllegalStateException("database down");
        }
        handled.add(call.eventId());
        return new Verdict.Opened(RequestId.random(), "default");
    };

    private final SqsAttemptConsumer.Metrics metrics = new SqsAttemptConsumer.Metrics() {
        @Override
        public void received(Duration age) {
            ages.add(age);
        }

        @Override
        public void handled(Verdict verdict) {
        }

        @Override
        public void unreadable() {
            unreadable.incrementAndGet();
        }
    };

    private SqsAttemptConsumer consumer(String queue) {
        return new SqsAttemptConsumer(MQ.sqs, new SqsAttemptConsumer.Settings(queue, 10, Duration.ZERO, 1), reader,
                handler, metrics, Clock.systemUTC());
    }

    private String[] queue(int visibilitySeconds) {
        return MQ.queueWithDeadLetters("detection-" + QUEUES.incrementAndGet(), 2, visibilitySeconds);
    }

    private void send(String queue, String body) {
        MQ.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
    }

    @Test
    void handledMessagesAreDeletedSeveralAtATime() {
        String[] q = queue(30);
        for (int i = 0; i < 25; i++) {
            send(q[0], "event:e" + i);
        }
        SqsAttemptConsumer c = consumer(q[0]);
        int deleted = 0;
        for (int round = 0; round < 10 && deleted < 25; round++) {
            deleted += c.pollOnce();
        }
        assertThat(deleted).isEqualTo(25);
        assertThat(handled).hasSize(25).doesNotHaveDuplicates();
        assertThat(MQ.approximateMessages(q[0])).isZero();
        assertThat(ages).hasSize(25).allSatisfy(a -> assertThat(a).isGreaterThanOrEqualTo(Duration.ZERO));
    }

    @Test
    void aMessageWhoseHandlingFailedIsNotDeletedAndComesBack() {
        String[] q = queue(0); // visible again at once: the test does not wait for a timeout
        send(q[0], "event:flaky");
        failOnce.add("flaky");
        SqsAttemptConsumer c = consumer(q[0]);
        assertThat(c.pollOnce()).isZero();
        assertThat(handled).isEmpty();
        assertThat(c.pollOnce()).isEqualTo(1);
        assertThat(handled).containsExactly("flaky");
        assertThat(MQ.approximateMessages(q[0])).isZero();
    }

    @Test
    void anUnreadableMessageIsLeftForTheDeadLetterQueueWhileTheRestFlows() {
        String[] q = queue(0);
        send(q[0], "not json at all");
        send(q[0], "event:good-1");
        send(q[0], "event:good-2");
        SqsAttemptConsumer c = consumer(q[0]);
        for (int round = 0; round < 6; round++) {
            c.pollOnce();
        }
        assertThat(handled).containsExactlyInAnyOrder("good-1", "good-2");
        assertThat(unreadable.get()).as("received until the redrive policy moved it").isEqualTo(2);
        assertThat(MQ.approximateMessages(q[0])).isZero();
        List<String> dead = MQ.sqs.receiveMessage(b -> b.queueUrl(q[1]).maxNumberOfMessages(10)).messages().stream()
                .map(m -> m.body()).toList();
        assertThat(dead).containsExactly("not json at all");
    }

    @Test
    void theConsumerKeepsRunningThroughFailuresAndStopsWhenClosed() throws Exception {
        String[] q = queue(0);
        SqsAttemptConsumer c = new SqsAttemptConsumer(MQ.sqs, new SqsAttemptConsumer.Settings(q[0], 10,
                Duration.ofSeconds(1), 2), reader, handler, metrics, Clock.systemUTC());
        c.start();
        try {
            send(q[0], "garbage");
            failOnce.add("a");
            send(q[0], "event:a");
            send(q[0], "event:b");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!(handled.contains("a") && handled.contains("b"))) {
                assertThat(System.nanoTime()).as("both events handled by the running consumer").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(c.isRunning()).isTrue();
        } finally {
            c.close();
        }
        assertThat(c.isRunning()).isFalse();
        assertThat(Map.of("a", handled.stream().filter("a"::equals).count())).containsEntry("a", 1L);
    }

    @Test
    void settingsOutsideWhatSqsAllowsAreRefusedWithTheReason() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SqsAttemptConsumer.Settings("q", 11, Duration.ZERO, 1))
                .hasMessageContaining("1 to 10");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SqsAttemptConsumer.Settings("q", 10, Duration.ofSeconds(21), 1))
                .hasMessageContaining("0 to 20 seconds");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SqsAttemptConsumer.Settings(" ", 10, Duration.ZERO, 1))
                .hasMessageContaining("queue URL");
    }
}
