package dev.clearance.adapters.slack;

import dev.clearance.cards.slack.SlackMessages;
import dev.clearance.core.model.Person;
import dev.clearance.core.notify.Fingerprint;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.MessageRef;

import java.time.Instant;
import java.util.Optional;

/** Clearance's messages as Slack DMs from the bot; live copies are updated with {@code chat.update}. */
public final class SlackChatChannel implements ChatChannel {
    private final SlackApi api;
    private final SlackIdentities identities;

    public SlackChatChannel(SlackApi api, SlackIdentities identities) {
        this.api = api;
        this.identities = identities;
    }

    @Override
    public String name() {
        return SlackApi.CHANNEL;
    }

    @Override
    public boolean reaches(Person person) throws DeliveryException {
        return identities.userIdOf(person).isPresent();
    }

    @Override
    public MessageRef post(Person recipient, Notification notification) throws DeliveryException {
        String userId = identities.userIdOf(recipient)
                .orElseThrow(() -> DeliveryException.permanent("users_not_found: no Slack user for " + recipient.email()));
        return api.post(identities.dmChannel(userId), SlackMessages.render(notification),
                notification.param(Notification.DEDUPE_KEY));
    }

    @Override
    public Optional<MessageRef> findPosted(Person recipient, String dedupeKey, Instant since) throws DeliveryException {
        Optional<String> userId = identities.userIdOf(recipient);
        return userId.isEmpty() ? Optional.empty() : api.findPosted(identities.dmChannel(userId.get()), dedupeKey, since);
    }

    @Override
    public Optional<MessageRef> findPostedInConversation(String conversationId, String dedupeKey, Instant since)
            throws DeliveryException {
        return api.findPosted(conversationId, dedupeKey, since);
    }

    /** An approval channel: the bot must be a member of it (invite it with /invite @Clearance). */
    @Override
    public MessageRef postToConversation(String conversationId, Notification notification) throws DeliveryException {
        return api.post(conversationId, SlackMessages.render(notification), notification.param(Notification.DEDUPE_KEY));
    }

    @Override
    public Optional<String> fingerprint(Notification notification) {
        return Optional.of(Fingerprint.of(SlackApi.JSON.writeValueAsString(SlackMessages.render(notification))));
    }

    @Override
    public void update(MessageRef ref, Notification notification) throws DeliveryException {
        api.update(ref, SlackMessages.render(notification));
    }
}
