package dev.clearance.app;

import dev.clearance.app.support.AppTestBase;
import dev.clearance.app.support.RecordingChatPlatform.Message;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.port.Outbox;
import dev.clearance.core.port.Transactions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox: retries with backoff honouring Retry-After, never posts twice, reports what cannot be delivered. */
class DeliveryTest extends AppTestBase {
    @Autowired
    Outbox outbox;
    @Autowired
    Transactions transactions;

    @Test
    void aRateLimitedMessageWaitsForRetryAfterThenIsPostedOnce() {
        settle();
        chat.failNext(DeliveryException.retryable("ratelimited", Duration.ofSeconds(30)));
        String id = intake("erin@example.com", "sqs:PurgeQueue", "123456789012");
        settle();
        assertThat(chat.to("erin@example.com", id)).isEmpty();
        assertThat(outbox.backlog()).isPositive();
        advance(Duration.ofSeconds(29));
        assertThat(chat.to("erin@example.com", id)).as("not before Retry-After").isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(chat.to("erin@example.com", id)).extracting(Message::kind).containsExactly(NotificationKind.JUSTIFICATION_PROMPT);
        advance(Duration.ofMinutes(5));
        assertThat(chat.to("erin@example.com", id)).hasSize(1);
    }

    @Test
    void theSameDedupeKeyIsDeliveredOnce() {
        String id = intake("fay@example.com", "sqs:DeleteQueue", "123456789012");
        settle();
        OutboundMessage again = OutboundMessage.to(UserEmail.of("fay@example.com"), NotificationKind.JUSTIFICATION_PROMPT,
                new RequestId(id), id + ":JUSTIFICATION_PROMPT:fay@example.com");
        transactions.run(() -> {
            outbox.enqueue(again);
            outbox.enqueue(again);
        });
        settle();
        assertThat(chat.to("fay@example.com", id)).hasSize(1);
    }

    @Test
    void anUnreachableApproverIsAuditedReportedToAdminsAndOthersStillGetIt() {
        chat.doesNotKnow("pia@example.com");
        String id = intake("gus@example.com", "sqs:SetQueueAttributes", "123456789012");
        justify(id, "gus@example.com", null);
        settle();
        assertThat(chat.to("pat@example.com", id)).extracting(Message::kind).containsExactly(NotificationKind.APPROVAL_REQUEST);
        assertThat(get(id).body().get("audit").toString()).contains("could not deliver APPROVAL_REQUEST to pia@example.com");
        assertThat(chat.to("root@example.com", id)).extracting(Message::kind).containsExactly(NotificationKind.ADMIN_DELIVERY_FAILED);
        assertThat(decide(id, "pat@example.com", "approve").text("status")).isEqualTo("APPROVED");
    }
}
