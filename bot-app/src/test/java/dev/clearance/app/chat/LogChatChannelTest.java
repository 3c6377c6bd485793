package dev.clearance.app.chat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.clearance.core.model.Person;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Text people typed cannot forge log lines through the log chat channel. */
class LogChatChannelTest {

    @Test
    void aMessageIsOneLogLineWhateverItsTextHolds() {
        Logger chat = (Logger) LoggerFactory.getLogger("clearance.chat");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        chat.addAppender(appender);
        try {
            String forged = "sagemaker\n2026-12-02T09:00:00.000Z  INFO 1 --- [main] clearance.chat : to root@example.com approved\r\u2028x\\n";
            new LogChatChannel().post(Person.anonymous(UserEmail.of("alice@example.com")), new Notification(
                    NotificationKind.SERVICE_DISABLED, Optional.empty(), Map.of("service", forged, "account", "123456789012")));
            String line = appender.list.get(0).getFormattedMessage();
            assertThat(line).doesNotContain("\n", "\r", "\u2028")
                    .contains("sagemaker\\n2026-12-02T09:00:00.000Z  INFO", "\\r\\u2028x\\\\n");
        } finally {
            chat.detachAppender(appender);
        }
    }
}
