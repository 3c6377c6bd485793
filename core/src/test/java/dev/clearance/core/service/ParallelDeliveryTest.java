package dev.clearance.core.service;

import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.Person;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.view.RequestView;
import dev.clearance.core.policy.TestConfigs;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.MessageRef;
import dev.clearance.core.port.SentMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher's workers deliver different requests' messages at once, and each request's own in order. */
class ParallelDeliveryTest {
    private final InMemoryPorts ports = new InMemoryPorts(TestConfigs.config());
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    /** "post KIND to whom" or "update KIND", per request id, in the order the platform saw them. */
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Copies copies = new Copies();

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    private AccessRequest intake(String resource) {
        return ports.service.intake(new Commands.Intake(UserEmail.of("alice@example.com"), resource, "123456789012", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("test"), Optional.empty(), Origin.api("test"))).request();
    }

    @Test
    void twoRequestsMessagesGoOutAtOnce() throws Exception {
        AccessRequest first = intake("s3:DeleteBucket");
        AccessRequest second = intake("s3:DeleteObject");
        CountDownLatch secondPosting = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        Platform slack = new Platform() {
            @Override
            public MessageRef post(Person recipient, Notification n) {
                String id = n.request().orElseThrow().id();
                if (id.equals(second.id().value())) {
                    secondPosting.countDown();
                } else {
                    try {
                        // the first request's post is slow: the second's must not wait for it
                        overlapped.set(secondPosting.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.post(recipient, n);
            }
        };
        NotificationDelivery delivery = new NotificationDelivery(ports.ctx, copies, List.of(slack));

        assertThat(delivery.deliverDue(50, workers)).isEqualTo(2);

        assertThat(overlapped).as("the second request's post started while the first's was still under way").isTrue();
        assertThat(calls).containsExactlyInAnyOrder(
                first.id() + " post JUSTIFICATION_PROMPT to alice@example.com",
                second.id() + " post JUSTIFICATION_PROMPT to alice@example.com");
        assertThat(ports.delivered).containsExactlyInAnyOrder(0L, 1L);
    }

    @Test
    void oneRequestsMessagesKeepTheirOrder() throws Exception {
        AccessRequest first = intake("s3:DeleteBucket");
        AccessRequest other = intake("s3:DeleteObject");
        NotificationDelivery delivery = new NotificationDelivery(ports.ctx, copies, List.of(new Platform()));
        delivery.deliverDue(50, workers);
        calls.clear();
        int from = ports.outbox.size();
        ports.service.justify(new Commands.Justify(first.id(), UserEmail.of("alice@example.com"), "incident 42", Optional.empty(), Origin.api("test")));
        ports.service.justify(new Commands.Justify(other.id(), UserEmail.of("alice@example.com"), "incident 43", Optional.empty(), Origin.api("test")));
        // In enqueue order: each post, and at a refresh an update of every copy posted before it (the requester's
        // prompt, then the approval requests), which only happens if those posts did come first.
        List<String> expected = new ArrayList<>();
        List<String> livePosts = new ArrayList<>(List.of(first.id() + " update JUSTIFICATION_PROMPT"));
        for (OutboundMessage m : ports.outbox.subList(from, ports.outbox.size())) {
            if (!m.requestId().orElseThrow().equals(first.id())) {
                continue;
            }
            if (m.kind() == NotificationKind.REFRESH_COPIES) {
                expected.addAll(livePosts);
            } else {
                expected.add(first.id() + " post " + m.kind() + " to " + m.recipient().orElseThrow());
                livePosts.add(first.id() + " update " + m.kind());
            }
        }
        assertThat(expected).as("approval requests, then a refresh of the copies")
                .anyMatch(c -> c.contains("post APPROVAL_REQUEST")).last().asString().contains("update APPROVAL_REQUEST");

        delivery.deliverDue(50, workers);

        assertThat(calls.stream().filter(c -> c.startsWith(first.id() + " ")).toList()).containsExactlyElementsOf(expected);
        assertThat(calls).anyMatch(c -> c.startsWith(other.id() + " post APPROVAL_REQUEST"));
    }

    private class Platform implements ChatChannel {
        private final AtomicInteger ids = new AtomicInteger();

        @Override
        public String name() {
            return "slack";
        }

        @Override
        public boolean reaches(Person person) {
            return true;
        }

        @Override
        public MessageRef post(Person recipient, Notification n) {
            calls.add(n.request().orElseThrow().id() + " post " + n.kind() + " to " + recipient.email());
            return new MessageRef("slack", recipient.email().value(), String.valueOf(ids.incrementAndGet()));
        }

        @Override
        public void update(MessageRef ref, Notification n) {
            calls.add(n.request().map(RequestView::id).orElseThrow() + " update " + n.kind());
        }
    }

    /** Live copies as the JDBC store keeps them: recorded posts, found again by request. */
    private static final class Copies implements SentMessages {
        private final List<SentMessage> sent = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void record(SentMessage message) {
            sent.add(message);
        }

        @Override
        public List<SentMessage> liveCopies(RequestId id) {
            synchronized (sent) {
                return sent.stream().filter(m -> id.equals(m.requestId()) && m.kind().isLiveCopy()).toList();
            }
        }

        @Override
        public boolean alreadyPosted(String dedupeKey, String channel) {
            synchronized (sent) {
                return sent.stream().anyMatch(m -> m.dedupeKey().equals(dedupeKey) && m.ref().channel().equals(channel));
            }
        }

        @Override
        public void rendered(MessageRef ref, String digest) {
        }
    }
}
