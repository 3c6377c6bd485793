package dev.clearance.cards;

import dev.clearance.cards.mail.MailRenderer;
import dev.clearance.cards.slack.SlackMessages;
import dev.clearance.cards.teams.TeamsMessages;
import dev.clearance.cards.text.TextRenderer;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.view.RequestView;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request the CloudTrail detector opened shows its approvers what AWS denied (the resource ARN, region and time)
 * and how many more attempts were made while it waited; every platform's payload stays valid.
 */
class DetectedAttemptTest {
    private static Notification approval(RequestView v) {
        return new Notification(NotificationKind.APPROVAL_REQUEST, Optional.of(v), Map.of(RequestView.RECIPIENT, "pat@example.com"));
    }

    @Test
    void approversSeeWhatAwsDeniedAndTheAttemptsThatFollowed() {
        RequestView v = Views.detected(Views.pendingStep2Escalated(), 3);
        String line = "s3:DeleteBucket denied on arn:aws:s3:::audit-logs in eu-west-1 at 2026-03-02T08:59:12Z"
                + " (event 3f1d4e0c-8c55-4d8b-9a77-5f0c9d1e2a11) · 3 more attempts";
        assertThat(v.detectedLine()).contains(line);
        assertThat(PayloadCheck.json(SlackMessages.render(approval(v)))).contains("Detected: AWS " + line);
        assertThat(PayloadCheck.json(TeamsMessages.render(approval(v)))).contains("AWS " + line);
        assertThat(TextRenderer.render(approval(v))).contains("detected: AWS " + line);
        assertThat(MailRenderer.render(approval(v), Optional.of("https://clearance.example.com")).text()).contains("AWS " + line);
    }

    @Test
    void oneAttemptIsSaidInTheSingularAndNoneIsNotSaid() {
        assertThat(Views.detected(Views.pendingStep2Escalated(), 1).detectedLine()).hasValueSatisfying(l -> assertThat(l).endsWith("· 1 more attempt"));
        assertThat(Views.detected(Views.pendingStep2Escalated(), 0).detectedLine()).hasValueSatisfying(l -> assertThat(l).endsWith(")"));
        assertThat(Views.pendingStep2Escalated().detectedLine()).as("a request made by hand says nothing of detection").isEmpty();
    }
}
