package dev.clearance.cards;

import dev.clearance.cards.slack.SlackMessages;
import dev.clearance.cards.slack.SlackModals;
import dev.clearance.cards.teams.TeamsMessages;
import dev.clearance.cards.text.TextRenderer;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.view.RequestView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is left of a policy's total (max-total-duration) for a grant and its extensions: shown on the grant, offered
 * as the extension menu, and no Extend button once no length fits.
 */
class RemainingTotalTest {
    private static Notification notice(RequestView v) {
        return new Notification(NotificationKind.EXPIRY_NOTICE, Optional.of(v), Map.of());
    }

    @Test
    void theExtensionMenuHoldsOnlyLengthsThatFitWhatIsLeft() {
        RequestView v = Views.withRemainingTotal(Views.approved(), Duration.ofHours(5));
        assertThat(v.extensionChoices()).extracting(AccessDuration::toString).containsExactly("15m", "1h", "4h");
        assertThat(PayloadCheck.json(SlackModals.extension(v))).contains("\"4h\"").doesNotContain("\"8h\"", "until-revoked");
        assertThat(PayloadCheck.json(TeamsMessages.render(notice(v)))).contains("\"4h\"").doesNotContain("\"8h\"", "until-revoked");
        assertThat(TextRenderer.render(notice(v))).contains("Can still be extended by 5 hours (16 hours in total at most)");
    }

    @Test
    void whenNoLengthFitsTheExpiryNoticeHasNoExtendButton() {
        RequestView v = Views.withRemainingTotal(Views.approved(), Duration.ofMinutes(10));
        assertThat(v.mayExtend()).isFalse();
        assertThat(PayloadCheck.json(SlackMessages.render(notice(v)))).doesNotContain(Actions.EXTEND);
        assertThat(PayloadCheck.json(TeamsMessages.render(notice(v)))).doesNotContain(Actions.EXTEND);
        assertThat(TextRenderer.render(notice(v))).doesNotContain("Ask for an extension");
        // with room, the button is there: the check above can fail
        assertThat(PayloadCheck.json(SlackMessages.render(notice(Views.approved())))).contains(Actions.EXTEND);
        assertThat(PayloadCheck.json(TeamsMessages.render(notice(Views.approved())))).contains(Actions.EXTEND);
    }

    @Test
    void theRemainingTotalIsSaidInWords() {
        assertThat(AccessDuration.words(Duration.ofHours(49).plusMinutes(5))).isEqualTo("2 days, 1 hour and 5 minutes");
        assertThat(AccessDuration.words(Duration.ofDays(2))).isEqualTo("2 days");
        assertThat(AccessDuration.words(Duration.ofSeconds(59))).isEqualTo("0 minutes");
        assertThat(Views.withRemainingTotal(Views.approved(), Duration.ofSeconds(30)).remainingTotalLine())
                .contains("Cannot be extended further: 16 hours in total at most, all used");
        assertThat(Views.pendingExtension().remainingTotalLine()).as("shown on the grant, not on its extension").isEmpty();
    }
}
