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
        CHAT.info("to {} [{} {}]\n{}", recipient.email(), n.kind(), ref.messageId(), TextRenderer.render(n));
        return ref;
    }

    @Override
    public void update(MessageRef ref, Notification n) {
        CHAT.info("update for {} [{} {}]\n{}", ref.conversationId(), n.kind(), ref.messageId(), TextRenderer.render(n));
    }
}
