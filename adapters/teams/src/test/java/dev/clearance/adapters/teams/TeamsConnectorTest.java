package dev.clearance.adapters.teams;

import com.microsoft.bot.connector.authentication.MicrosoftAppCredentials;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TeamsConnectorTest {
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-03-02T09:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void atMostSevenMessagesASecondPerConversation() throws Exception {
        StepClock clock = new StepClock();
        TeamsConnector connector = new TeamsConnector(MicrosoftAppCredentials.empty(), clock);
        for (int i = 0; i < 7; i++) {
            connector.throttle("a:pat");
        }
        assertThatThrownBy(() -> connector.throttle("a:pat")).isInstanceOf(DeliveryException.class)
                .satisfies(e -> {
                    DeliveryException d = (DeliveryException) e;
                    assertThat(d.isRetryable()).isTrue();
                    assertThat(d.retryAfter()).contains(Duration.ofSeconds(1));
                });
        connector.throttle("a:pia");
        clock.now = clock.now.plusSeconds(1);
        connector.throttle("a:pat");
    }
}
