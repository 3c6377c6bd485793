package dev.clearance.app.chat;

import dev.clearance.cards.text.TextRenderer;
import dev.clearance.core.model.Person;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.MessageRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * A chat channel that prints every message to the application log (logger {@code clearance.chat}): the embedded
 * default, so the whole lifecycle can be watched without Slack or Teams. Reaches everyone.
 */
public class LogChatChannel implements ChatChannel {
    private static final Logger CHAT = LoggerFactory.getLogger("clearance.chat");

    @Override
    public String name() {
        return "log";
    }

    @Override
    public boolean reaches(Person person) {
        return true;
    }

    @Override
    public MessageRef post(Person recipient, Notification n) {
        MessageRef ref = new MessageRef(name(), recipient.email().value(), UUID.randomUUID().toString());
        CHAT.info("to {} [{} {}] {}", recipient.email(), n.kind(), ref.messageId(), oneLine(TextRenderer.render(n)));
        return ref;
    }

    @Override
    public void update(MessageRef ref, Notification n) {
        CHAT.info("update for {} [{} {}] {}", ref.conversationId(), n.kind(), ref.messageId(), oneLine(TextRenderer.render(n)));
    }

    /**
     * NB: a message carries text people typed (a justification, a reason, a resource); written across several log
     * lines it could forge log entries. Each message is one log line: backslash, line breaks and other control
     * characters are escaped ({@code \n}, {@code \r}, {@code \t}, U+2028 as {@code \\u2028}).
     */
    static String oneLine(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
