package dev.clearance.cards.teams;

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

import static dev.clearance.cards.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** Every Adaptive Card Clearance sends: golden files, and Microsoft's adaptivecards library via tools/payload-check. */
class TeamsCardsTest {
    private static final Path OUT = Path.of("target/payloads/teams");

    static Map<String, Object> cards() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("card_justification_prompt", card(NotificationKind.JUSTIFICATION_PROMPT, Views.requested()));
        c.put("card_approval_request_escalated", card(NotificationKind.APPROVAL_REQUEST, Views.pendingStep2Escalated()));
        c.put("card_approval_request_approved", card(NotificationKind.APPROVAL_REQUEST, Views.approved()));
        c.put("card_approval_request_denied", card(NotificationKind.APPROVAL_REQUEST, Views.denied()));
        c.put("card_access_granted", card(NotificationKind.ACCESS_GRANTED, Views.approved()));
        c.put("card_service_disabled", TeamsMessages.render(new Notification(NotificationKind.SERVICE_DISABLED, Optional.empty(),
                Map.of("service", "sagemaker", "account", "123456789012"))));
        c.put("card_admin_scope_mismatch", TeamsMessages.render(new Notification(NotificationKind.ADMIN_SCOPE_MISMATCH,
                Optional.empty(), Views.scopeMismatch())));
        c.put("card_long_justification", card(NotificationKind.APPROVAL_REQUEST, Views.withJustification("z".repeat(6000))));
        c.put("card_refused_click", TeamsMessages.withNotice(card(NotificationKind.APPROVAL_REQUEST, Views.pendingStep2Escalated()),
                "sam@example.com is not an approver for Account owner"));
        c.put("card_expiry_notice", card(NotificationKind.EXPIRY_NOTICE, Views.approved()));
        c.put("card_expiry_notice_little_left", card(NotificationKind.EXPIRY_NOTICE,
                Views.withRemainingTotal(Views.approved(), java.time.Duration.ofHours(5))));
        c.put("card_expiry_notice_total_used", card(NotificationKind.EXPIRY_NOTICE,
                Views.withRemainingTotal(Views.approved(), java.time.Duration.ofMinutes(10))));
        c.put("card_approval_request_extension", card(NotificationKind.APPROVAL_REQUEST, Views.pendingExtension()));
        c.put("card_channel_approval", TeamsMessages.forChannel(new Notification(NotificationKind.APPROVAL_REQUEST,
                Optional.of(Views.pendingStep2Escalated()), Map.of()), List.of("29:pat", "29:pia")));
        c.put("card_channel_refreshed_for_approver", TeamsMessages.channelCardFor(Views.pendingStep2Escalated(), "pat@example.com",
                List.of("29:pat", "29:pia")));
        c.put("card_channel_refreshed_for_bystander", TeamsMessages.channelCardFor(Views.pendingStep2Escalated(), "bob@example.com",
                List.of("29:pat", "29:pia")));
        c.put("card_request_form", TeamsForms.requestForm());
        c.put("card_pending", TeamsReplies.pending(List.of(Views.pendingStep2Escalated(), Views.requested()),
                List.of(Views.pendingStep2Escalated().id()), 1, true));
        c.put("card_show", TeamsReplies.show(Views.approved()));
        c.put("card_whoapproves", TeamsReplies.whoApproves("s3:DeleteBucket", "123456789012", new PolicyPreview("prod-destructive",
                AccessDuration.parse("8h"), true, false, "org/prod",
                List.of(new PolicyPreview.StepPreview("Security review", 2, List.of("sam@example.com", "sue@example.com"))))));
        c.put("card_whoapproves_cannot_grant", TeamsReplies.whoApproves("s3:DeleteBucket", "123456789012", new PolicyPreview(
                "prod-destructive", AccessDuration.parse("8h"), true, false, "org/prod",
                List.of(new PolicyPreview.StepPreview("Security review", 2, List.of("sam@example.com", "sue@example.com"))),
                Optional.of("no IAM Identity Center user has userName = mallory@example.com in identity store d-9067000000"))));
        // the invoke response wrapping an updated card, as returned to an adaptiveCard/action invoke
        c.put("invoke_response_approved", obj("statusCode", 200, "type", TeamsIds.CONTENT_TYPE,
                "value", card(NotificationKind.APPROVAL_REQUEST, Views.approved())));
        return c;
    }

    private static Map<String, Object> card(NotificationKind kind, RequestView v) {
        return TeamsMessages.render(new Notification(kind, Optional.of(v), Map.of()));
    }

    @Test
    void cardsMatchTheirGoldenFiles() {
        cards().forEach((name, card) -> Golden.assertMatches("teams/" + name + ".json", PayloadCheck.json(card)));
    }

    @Test
    void cardsPassAdaptiveCardCheck() throws Exception {
        cards().forEach((name, card) -> PayloadCheck.write(OUT, name, card));
        PayloadCheck.validate(PayloadCheck.Platform.TEAMS, OUT);
    }

    @Test
    void approverCardsCarryVerbsAndRequiredReasonAndDecidedOnesNoActions() {
        String pending = PayloadCheck.json(cards().get("card_approval_request_escalated"));
        assertThat(pending).contains("\"verb\" : \"clearance.approve\"", "\"verb\" : \"clearance.deny\"", "\"isRequired\" : true",
                "\"errorMessage\"", "\"id\" : \"duration\"", "Escalated (level 1)");
        assertThat(PayloadCheck.json(cards().get("card_approval_request_approved"))).doesNotContain("Action.Execute")
                .contains("Approved by **Pat Prod-Owner**");
    }

    @Test
    void longUserTextIsCutToFit() {
        assertThat(PayloadCheck.json(cards().get("card_long_justification"))).contains("z".repeat(100) + "…")
                .doesNotContain("z".repeat(2001));
    }

    @Test
    void userTextCannotMentionOrLinkInAnyCard() {
        String hostile = "<at>Megan Bowen</at> < AT>x</ at> see [the runbook](https://evil.example/login) now";
        RequestView v = Views.withJustification(hostile);
        for (Map<String, Object> card : List.of(card(NotificationKind.APPROVAL_REQUEST, v), TeamsMessages.status(v), TeamsReplies.show(v),
                TeamsMessages.forChannel(new Notification(NotificationKind.APPROVAL_REQUEST, Optional.of(v), Map.of()), List.of("29:x")),
                TeamsMessages.withNotice(TeamsMessages.status(v), "you typed " + hostile))) {
            String json = dev.clearance.cards.PayloadCheck.json(card);
            assertThat(json).doesNotContainPattern("(?i)<\\s*/?\\s*at\\b").doesNotContain("](https://evil.example")
                    .contains("the runbook", "Megan Bowen");
        }
    }
}
