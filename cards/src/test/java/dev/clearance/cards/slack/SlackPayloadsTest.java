package dev.clearance.cards.slack;

import dev.clearance.cards.Golden;
import dev.clearance.cards.PayloadCheck;
import dev.clearance.cards.Views;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.view.PolicyPreview;
import dev.clearance.core.view.RequestView;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Every Block Kit payload Clearance sends: golden files, and Slack's own types and limits via tools/payload-check. */
class SlackPayloadsTest {
    private static final Path OUT = Path.of("target/payloads/slack");

    static Map<String, Object> payloads() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("message_justification_prompt", message(NotificationKind.JUSTIFICATION_PROMPT, Views.requested()));
        p.put("message_approval_request_escalated", message(NotificationKind.APPROVAL_REQUEST, Views.pendingStep2Escalated()));
        p.put("message_approval_request_approved", message(NotificationKind.APPROVAL_REQUEST, Views.approved()));
        p.put("message_approval_request_denied", message(NotificationKind.APPROVAL_REQUEST, Views.denied()));
        p.put("message_prompt_after_submit", message(NotificationKind.JUSTIFICATION_PROMPT, Views.pendingStep2Escalated()));
        p.put("message_access_granted", message(NotificationKind.ACCESS_GRANTED, Views.approved()));
        p.put("message_request_denied", message(NotificationKind.REQUEST_DENIED, Views.denied()));
        p.put("message_service_disabled", SlackMessages.render(new Notification(NotificationKind.SERVICE_DISABLED, Optional.empty(),
                Map.of("service", "sagemaker", "account", "123456789012"))));
        p.put("message_admin_scope_mismatch", SlackMessages.render(new Notification(NotificationKind.ADMIN_SCOPE_MISMATCH,
                Optional.empty(), Views.scopeMismatch())));
        p.put("message_long_justification", message(NotificationKind.APPROVAL_REQUEST, Views.withJustification("y".repeat(6000))));
        p.put("message_expiry_notice", message(NotificationKind.EXPIRY_NOTICE, Views.approved()));
        p.put("message_expiry_notice_after_end", message(NotificationKind.EXPIRY_NOTICE, Views.denied()));
        p.put("message_approval_request_extension", message(NotificationKind.APPROVAL_REQUEST, Views.pendingExtension()));
        p.put("modal_extend", SlackModals.extension(Views.approved()));
        p.put("modal_extend_little_left", SlackModals.extension(Views.withRemainingTotal(Views.approved(), java.time.Duration.ofHours(5))));
        p.put("message_expiry_notice_total_used", message(NotificationKind.EXPIRY_NOTICE,
                Views.withRemainingTotal(Views.approved(), java.time.Duration.ofMinutes(10))));
        p.put("modal_justification", SlackModals.justification(Views.requested()));
        p.put("modal_approve", SlackModals.decision(Views.pendingStep2Escalated(), true));
        p.put("modal_deny", SlackModals.decision(Views.pendingStep2Escalated(), false));
        p.put("modal_request", SlackModals.request());
        p.put("modal_request_previewed", SlackModals.request("s3:DeleteBucket", "123456789012",
                new PolicyPreview("prod-destructive", AccessDuration.parse("8h"), true, false, "org/prod",
                        List.of(new PolicyPreview.StepPreview("Security review", 2, List.of("sam@example.com", "sue@example.com")))), null));
        p.put("reply_pending", SlackReplies.pending(List.of(Views.pendingStep2Escalated(), Views.requested()),
                List.of(Views.pendingStep2Escalated().id()), 1, true));
        p.put("reply_show", SlackReplies.show(Views.approved()));
        p.put("reply_help", SlackReplies.reply(new dev.clearance.core.command.CommandReply.Usage(Optional.empty(),
                dev.clearance.core.command.UsageLine.COMMANDS)));
        p.put("reply_whoapproves", SlackReplies.whoApproves("s3:DeleteBucket", "123456789012", new PolicyPreview("prod-destructive",
                AccessDuration.parse("8h"), true, false, "org/prod", List.of(
                new PolicyPreview.StepPreview("Security review", 2, List.of("sam@example.com", "sue@example.com", "sid@example.com")),
                new PolicyPreview.StepPreview("Account owner", 1, List.of("pat@example.com", "pia@example.com"))))));
        p.put("reply_whoapproves_cannot_grant", SlackReplies.whoApproves("s3:DeleteBucket", "123456789012", new PolicyPreview(
                "prod-destructive", AccessDuration.parse("8h"), true, false, "org/prod",
                List.of(new PolicyPreview.StepPreview("Security review", 2, List.of("sam@example.com", "sue@example.com"))),
                Optional.of("no IAM Identity Center user has userName = mallory@example.com in identity store d-9067000000"))));
        return p;
    }

    private static Map<String, Object> message(NotificationKind kind, RequestView v) {
        return SlackMessages.render(new Notification(kind, Optional.of(v), Map.of("reason", "timebox of 2h over")));
    }

    @Test
    void payloadsMatchTheirGoldenFiles() {
        payloads().forEach((name, payload) -> Golden.assertMatches("slack/" + name + ".json", PayloadCheck.json(payload)));
    }

    @Test
    void payloadsPassSlackBlocksCheck() throws Exception {
        payloads().forEach((name, payload) -> PayloadCheck.write(OUT, name, payload));
        PayloadCheck.validate(PayloadCheck.Platform.SLACK, OUT);
    }

    @Test
    void userTextCannotPingMentionOrLinkInAnyField() {
        String hostile = "<!channel> <@U0ADMIN> <https://evil.example|click here> & more";
        for (var kind : List.of(dev.clearance.core.notify.NotificationKind.APPROVAL_REQUEST,
                dev.clearance.core.notify.NotificationKind.REQUEST_SUBMITTED,
                dev.clearance.core.notify.NotificationKind.REFRESH_COPIES)) {
            String json = PayloadCheck.json(SlackMessages.render(new dev.clearance.core.notify.Notification(kind,
                    java.util.Optional.of(Views.withJustification(hostile)), java.util.Map.of())));
            assertThat(json).as(kind + " payload").doesNotContain("<!channel>").doesNotContain("<@U0ADMIN>")
                    .doesNotContain("<https://evil.example");
        }
        assertThat(SlackReplies.escape("unknown scope '<!here>'")).isEqualTo("unknown scope '&lt;!here&gt;'");
    }

    @Test
    void oneRequestIsCountedInTheSingular() {
        assertThat(SlackReplies.pending(List.of(Views.requested()), List.of(), 1, false).get("text"))
                .isEqualTo("1 pending request");
        assertThat(SlackReplies.pending(List.of(Views.requested(), Views.approved()), List.of(), 1, false).get("text"))
                .isEqualTo("2 pending requests");
    }

    @Test
    void decidedMessagesHaveNoButtonsAndPendingOnesDo() {
        assertThat(PayloadCheck.json(payloads().get("message_approval_request_approved"))).doesNotContain("\"actions\"")
                .contains("Approved by *Pat Prod-Owner*");
        assertThat(PayloadCheck.json(payloads().get("message_approval_request_escalated")))
                .contains("clearance.approve", "clearance.deny", "Escalated (level 1)");
    }

    @Test
    void longUserTextIsCutToFit() {
        String json = PayloadCheck.json(payloads().get("message_long_justification"));
        assertThat(json).contains("y".repeat(100) + "…").doesNotContain("y".repeat(2801));
    }
}
