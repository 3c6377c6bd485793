package dev.clearance.adapters.detection;

import dev.clearance.core.detect.DeniedCall;
import dev.clearance.core.detect.Verdict;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Long-polls the detection queue (several messages at a time, on as many instances as run: SQS shares the messages
 * out) and hands each denied call to the detector.
 * <p>
 * NB: a message is deleted only after what it caused is committed, so a kill -9 at any instant loses no attempt; a
 * redelivery is harmless because the event's id is the idempotency key of everything it causes. A message that cannot
 * be read is never deleted: after the queue's {@code maxReceiveCount} it moves to the dead-letter queue. Nothing a
 * message contains stops the consumer.
 */
public final class SqsAttemptConsumer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SqsAttemptConsumer.class.getName());
    /** How long to wait after the queue could not be reached, before asking again. */
    static final Duration BACKOFF = Duration.ofSeconds(2);

    /** What the consumer hands a call to (the core's detector); returns once its effects are committed. */
    public interface Handler {
        Verdict handle(DeniedCall call, Instant receivedAt);
    }

    /** What the consumer reports for monitoring. */
    public interface Metrics {
        /** A message was received; {@code age}: how long it waited in the queue. */
        void received(Duration age);

        /** What a readable message became ({@code verdict.label()}; for an ignored one, its reason). */
        void handled(Verdict verdict);

        /** A message that cannot be read: left for the dead-letter queue. */
        void unreadable();

        Metrics NONE = new Metrics() {
            @Override
            public void received(Duration age) {
            }

            @Override
            public void handled(Verdict verdict) {
            }

            @Override
            public void unreadable() {
            }
        };
    }

    /**
     * @param maxMessages per receive, 1 to 10
     * @param waitTime    long polling, up to 20 seconds
     * @param pollers     threads receiving at once on this instance
     */
    public record Settings(String queueUrl, int maxMessages, Duration waitTime, int pollers) {
        public Settings {
            if (queueUrl == null || queueUrl.isBlank()) {
                throw new IllegalArgumentException("the detection queue URL is empty");
            }
            if (maxMessages < 1 || maxMessages > 10) {
                throw new IllegalArgumentException("an SQS receive takes 1 to 10 messages, not " + maxMessages);
            }
            if (waitTime.isNegative() || waitTime.compareTo(Duration.ofSeconds(20)) > 0) {
                throw new IllegalArgumentException("SQS long polling waits 0 to 20 seconds, not " + waitTime);
            }
            if (pollers < 1) {
                throw new IllegalArgumentException("at least one poller, not " + pollers);
            }
        }
    }

    private final SqsClient sqs;
    private final Settings settings;
    private final CallReader reader;
    private final Handler handler;
    private final Metrics metrics;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    /** Message ids already logged as unreadable: each is logged once, however often it comes back. */
    private final Set<String> loggedUnreadable = Collections.newSetFromMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    });

    public SqsAttemptConsumer(SqsClient sqs, Settings settings, CallReader reader, Handler handler, Metrics metrics,
                              Clock clock) {
        this.sqs = sqs;
        this.settings = settings;
        this.reader = reader;
        this.handler = handler;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * With an SQS client from the AWS SDK's default chains: region, credentials and endpoint
     * ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_SQS}, …).
     */
    public static SqsAttemptConsumer fromEnvironment(Settings settings, CallReader reader, Handler handler, Metrics metrics,
                                                     Clock clock) {
        SqsClient sqs;
        try {
            sqs = SqsClient.builder().httpClientBuilder(
                    software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                            .socketTimeout(settings.waitTime().plusSeconds(10))).build();
        } catch (SdkException e) {
            throw new IllegalStateException("detection: the AWS SDK could not be set up for SQS (" + e.getMessage()
                    + "); set AWS_REGION (or a profile with a region, AWS_PROFILE) and credentials", e);
        }
        return new SqsAttemptConsumer(sqs, settings, reader, handler, metrics, clock);
    }

    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        for (int i = 0; i < settings.pollers(); i++) {
            Thread t = new Thread(this::run, "detection-sqs-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Stops receiving; a batch being handled finishes (its messages deleted) before this returns. */
    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(settings.waitTime().plusSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }

    public boolean isRunning() {
        return running.get();
    }

    private void run() {
        while (running.get()) {
            try {
                pollOnce();
            } catch (SdkException e) {
                LOG.warning(() -> "detection queue unreachable (" + e.getMessage() + "); asking again in " + BACKOFF.toSeconds() + " s");
                pause();
            } catch (RuntimeException e) {
                // NB: nothing a message holds may stop the consumer; the message comes back after its visibility timeout
                LOG.log(Level.WARNING, "detection consumer: an unexpected failure; carrying on", e);
                pause();
            }
        }
    }

    /** One receive and the handling of what it brought; returns how many messages were deleted. */
    public int pollOnce() {
        ReceiveMessageResponse received = sqs.receiveMessage(b -> b.queueUrl(settings.queueUrl())
                .maxNumberOfMessages(settings.maxMessages()).waitTimeSeconds((int) settings.waitTime().toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP));
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message m : received.messages()) {
            Instant now = clock.instant();
            metrics.received(ageOf(m, now));
            if (handled(m, now)) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
        }
        if (done.isEmpty()) {
            return 0;
        }
        DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(b -> b.queueUrl(settings.queueUrl()).entries(done));
        // A delete that failed leaves the message to come back: its event changes nothing the second time.
        deleted.failed().forEach(f -> LOG.warning(() -> "detection queue: a handled message was not deleted (" + f.code()
                + ": " + f.message() + "); its redelivery will change nothing"));
        return deleted.successful().size();
    }

    /** Whether the message may be deleted: what it caused is committed, or it was a call to ignore. */
    private boolean handled(Message m, Instant receivedAt) {
        DeniedCall call;
        try {
            call = reader.read(m.body());
        } catch (CallReader.UnreadableEventException e) {
            metrics.unreadable();
            synchronized (loggedUnreadable) {
                if (loggedUnreadable.add(m.messageId())) {
                    LOG.warning(() -> "detection queue: message " + m.messageId() + " is not a CloudTrail API call event ("
                            + e.getMessage() + "); left for the queue's dead-letter queue");
                }
            }
            return false;
        } catch (RuntimeException e) {
            LOG.warning(() -> "detection queue: message " + m.messageId() + " could not be read now (" + e.getMessage()
                    + "); it comes back after its visibility timeout");
            return false;
        }
        try {
            metrics.handled(handler.handle(call, receivedAt));
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "detection: event " + call.eventId() + " (message " + m.messageId()
                    + ") failed; it comes back after its visibility timeout", e);
            return false;
        }
    }

    private static Duration ageOf(Message m, Instant now) {
        String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        if (sent == null) {
            return Duration.ZERO;
        }
        try {
            Duration age = Duration.between(Instant.ofEpochMilli(Long.parseLong(sent)), now);
            return age.isNegative() ? Duration.ZERO : age;
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }

    private void pause() {
        try {
            Thread.sleep(BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }
}
