package dev.clearance.cards.mail;

import dev.clearance.cards.Golden;
import dev.clearance.cards.Views;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.view.RequestView;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MailRendererTest {
    private static final Optional<String> URL = Optional.of("https://clearance.example.com");

    private static MailRenderer.Mail render(NotificationKind kind, RequestView v, String recipient) {
        Map<String, String> params = new java.util.HashMap<>(Views.scopeMismatch());
        params.putAll(Map.of("reason", "timebox of 2h over", "error", "HTTP 500", RequestView.RECIPIENT, recipient,
                "service", "sagemaker", "account", "123456789012", "requester", "mallory@example.com", "resource", "s3:DeleteBucket"));
        return MailRenderer.render(new Notification(kind, Optional.ofNullable(v), params), URL);
    }

    @Test
    void anApprovalRequestHasATextAndAnHtmlPartAndALinkButNoButtons() {
        MailRenderer.Mail m = render(NotificationKind.APPROVAL_REQUEST, Views.pendingStep2Escalated(), "pat@example.com");
        Golden.assertMatches("mail/approval_request.txt", m.subject() + "\n\n" + m.text());
        Golden.assertMatches("mail/approval_request.html", m.html());
        assertThat(m.link()).contains("https://clearance.example.com/requests/REQ-0123456789");
        assertThat(m.html()).doesNotContain("<form").doesNotContain("<button");
    }

    @Test
    void everyKindHasASubjectAndBothBodies() {
        StringBuilder all = new StringBuilder();
        for (NotificationKind kind : NotificationKind.values()) {
            boolean requestless = kind == NotificationKind.SERVICE_DISABLED || kind == NotificationKind.CANNOT_GRANT
                    || kind == NotificationKind.ADMIN_CANNOT_GRANT || kind == NotificationKind.ADMIN_SCOPE_MISMATCH;
            MailRenderer.Mail m = render(kind, requestless ? null : Views.approved(), "alice@example.com");
            assertThat(m.text()).as(kind.name()).isNotBlank();
            assertThat(m.html()).as(kind.name()).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
            assertThat(m.link().isPresent()).as(kind.name()).isEqualTo(!requestless);
            all.append(kind).append(": ").append(m.subject()).append('\n');
        }
        Golden.assertMatches("mail/subjects.txt", all.toString());
    }

    @Test
    void textFromRequestsIsEscapedInHtml() {
        MailRenderer.Mail m = render(NotificationKind.APPROVAL_REQUEST,
                Views.withJustification("<script>alert(1)</script> & \"quotes\""), "pat@example.com");
        assertThat(m.html()).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;");
    }

    @Test
    void withoutAPublicAddressThereIsNoLink() {
        MailRenderer.Mail m = MailRenderer.render(new Notification(NotificationKind.ACCESS_GRANTED, Optional.of(Views.approved()),
                Map.of()), Optional.empty());
        assertThat(m.link()).isEmpty();
        assertThat(m.html()).doesNotContain("href");
    }
}
