package dev.clearance.app.support;

import dev.clearance.cards.text.TextRenderer;
import dev.clearance.core.model.Person;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.view.RequestView;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.MessageRef;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful fake chat platform (the part Slack or Teams plays): keeps every conversation's messages, applies
 * updates in place, refuses unknown users, and can be told to fail the next calls (rate limit, outage).
 */
public final class RecordingChatPlatform implements ChatChannel {
    public record Message(String recipient, NotificationKind kind, String requestId, String text, MessageRef ref,
                          int updates) {
    }

    private final Map<String, Message> messages = new LinkedHashMap<>();
    private final Deque<DeliveryException> failures = new ArrayDeque<>();
    private final List<String> unknownUsers = new ArrayList<>();
    private final AtomicInteger posts = new AtomicInteger();

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public synchronized boolean reaches(Person person) {
        return !unknownUsers.contains(person.email().value());
    }

    @Override
    public synchronized MessageRef post(Person recipient, Notification n) throws DeliveryException {
        failIfAsked();
        posts.incrementAndGet();
        MessageRef ref = new MessageRef(name(), "D-" + recipient.email(), "m" + messages.size());
        messages.put(ref.messageId(), new Message(recipient.email().value(), n.kind(),
                n.request().map(RequestView::id).orElse(null), TextRenderer.render(n), ref, 0));
        return ref;
    }

    @Override
    public synchronized void update(MessageRef ref, Notification n) throws DeliveryException {
        failIfAsked();
        Message old = messages.get(ref.messageId());
        if (old == null) {
            throw DeliveryException.permanent("message_not_found");
        }
        messages.put(ref.messageId(), new Message(old.recipient(), old.kind(), old.requestId(), TextRenderer.render(n), ref,
                old.updates() + 1));
    }

    private void failIfAsked() throws DeliveryException {
        DeliveryException next = failures.poll();
        if (next != null) {
            throw next;
        }
    }

    public synchronized void failNext(DeliveryException e) {
        failures.add(e);
    }

    /** Forgets injected failures and unknown users (the platform is shared by the tests of one context). */
    public synchronized void reset() {
        failures.clear();
        unknownUsers.clear();
    }

    public synchronized void doesNotKnow(String email) {
        unknownUsers.add(email);
    }

    public synchronized List<Message> forRequest(String requestId) {
        return messages.values().stream().filter(m -> requestId.equals(m.requestId())).toList();
    }

    public synchronized List<Message> to(String email, String requestId) {
        return forRequest(requestId).stream().filter(m -> m.recipient().equals(email)).toList();
    }

    public synchronized List<Message> to(String email) {
        return messages.values().stream().filter(m -> m.recipient().equals(email)).toList();
    }

    public synchronized Optional<Message> latest(String email, NotificationKind kind, String requestId) {
        return to(email, requestId).stream().filter(m -> m.kind() == kind).reduce((a, b) -> b);
    }
}
