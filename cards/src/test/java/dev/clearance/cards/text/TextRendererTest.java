package dev.clearance.cards.text;

import dev.clearance.cards.Golden;
import dev.clearance.cards.Views;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.view.RequestView;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TextRendererTest {
    private static String render(NotificationKind kind, RequestView v) {
        return TextRenderer.render(new Notification(kind, Optional.of(v), Map.of("reason", "timebox of 2h over", "error", "HTTP 500")));
    }

    @Test
    void justificationPrompt() {
        Golden.assertMatches("text/justification_prompt.txt", render(NotificationKind.JUSTIFICATION_PROMPT, Views.requested()));
    }

    @Test
    void escalatedApprovalRequestAtStepTwo() {
        Golden.assertMatches("text/approval_request_escalated.txt", render(NotificationKind.APPROVAL_REQUEST, Views.pendingStep2Escalated()));
    }

    @Test
    void decidedCopies() {
        Golden.assertMatches("text/approval_request_approved.txt", render(NotificationKind.APPROVAL_REQUEST, Views.approved()));
        Golden.assertMatches("text/approval_request_denied.txt", render(NotificationKind.APPROVAL_REQUEST, Views.denied()));
    }

    @Test
    void requesterNotices() {
        StringBuilder all = new StringBuilder();
        for (NotificationKind kind : new NotificationKind[]{NotificationKind.REQUEST_APPROVED, NotificationKind.ACCESS_GRANTED,
                NotificationKind.ACCESS_ENDED, NotificationKind.REQUEST_EXPIRED, NotificationKind.REQUEST_ABANDONED_EXPIRED,
                NotificationKind.ADMIN_REVOKE_FAILING}) {
            all.append(kind).append(": ").append(render(kind, Views.approved())).append('\n');
        }
        all.append("REQUEST_DENIED: ").append(render(NotificationKind.REQUEST_DENIED, Views.denied())).append('\n');
        all.append("SERVICE_DISABLED: ").append(TextRenderer.render(new Notification(NotificationKind.SERVICE_DISABLED,
                Optional.empty(), Map.of("service", "sagemaker", "account", "123456789012")))).append('\n');
        Map<String, String> refused = Map.of("requester", "mallory@example.com", "resource", "s3:DeleteBucket", "account",
                "123456789012", "reason", "no IAM Identity Center user has userName = mallory@example.com in identity store d-9067000000");
        all.append("CANNOT_GRANT: ").append(TextRenderer.render(new Notification(NotificationKind.CANNOT_GRANT,
                Optional.empty(), refused))).append('\n');
        all.append("ADMIN_CANNOT_GRANT: ").append(TextRenderer.render(new Notification(NotificationKind.ADMIN_CANNOT_GRANT,
                Optional.empty(), refused))).append('\n');
        all.append("ADMIN_SCOPE_MISMATCH: ").append(TextRenderer.render(new Notification(NotificationKind.ADMIN_SCOPE_MISMATCH,
                Optional.empty(), Views.scopeMismatch()))).append('\n');
        all.append("EXPIRY_NOTICE: ").append(render(NotificationKind.EXPIRY_NOTICE, Views.approved())).append('\n');
        all.append("extension APPROVAL_REQUEST: ").append(render(NotificationKind.APPROVAL_REQUEST, Views.pendingExtension())).append('\n');
        all.append("extension REQUEST_SUBMITTED: ").append(render(NotificationKind.REQUEST_SUBMITTED, Views.pendingExtension())).append('\n');
        Golden.assertMatches("text/notices.txt", all.toString());
    }

    @Test
    void longJustificationsAreTruncated() {
        String text = render(NotificationKind.APPROVAL_REQUEST, Views.withJustification("x".repeat(5000)));
        assertThat(text).contains("x".repeat(499) + "…").doesNotContain("x".repeat(501));
    }
}
