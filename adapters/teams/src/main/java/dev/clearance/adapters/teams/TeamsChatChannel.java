package dev.clearance.adapters.teams;

import dev.clearance.cards.Texts;
import dev.clearance.cards.teams.TeamsElements;
import dev.clearance.cards.teams.TeamsMessages;
import dev.clearance.cards.text.TextRenderer;
import dev.clearance.core.model.Person;
import dev.clearance.core.notify.Fingerprint;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.MessageRef;

import java.util.List;
import java.util.Optional;

/** Clearance's messages as Adaptive Cards in the person's personal chat with the bot; copies updated in place. */
public final class TeamsChatChannel implements ChatChannel {
    public static final String NAME = "teams";
    private final TeamsConnector connector;
    private final TeamsConversations conversations;
    private final TeamsDeciders deciders;
    private final TeamsIdentities identities;

    public TeamsChatChannel(TeamsConnector connector, TeamsConversations conversations, TeamsIdentities identities) {
        this.connector = connector;
        this.conversations = conversations;
        this.identities = identities;
        this.deciders = new TeamsDeciders(connector, conversations);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean reaches(Person person) {
        try {
            return reference(person).filter(r -> !r.blocked()).isPresent();
        } catch (DeliveryException e) {
            // Teams did not confirm the email now: the post retries (and confirms) later
            return conversations.byEmail(person.email()).filter(r -> !r.blocked()).isPresent();
        }
    }

    @Override
    public MessageRef post(Person recipient, Notification n) throws DeliveryException {
        TeamsConversations.Reference ref = reference(recipient).orElseThrow(() -> DeliveryException.permanent(
                recipient.email() + " has not installed Clearance in Teams"));
        if (ref.blocked()) {
            throw DeliveryException.permanent(recipient.email() + " blocked or uninstalled Clearance in Teams");
        }
        try {
            String id = connector.send(ref.serviceUrl(), ref.conversationId(), TeamsMessages.render(n), summary(n));
            return new MessageRef(NAME, ref.conversationId(), id);
        } catch (DeliveryException e) {
            if (!e.isRetryable() && e.getMessage().contains(TeamsConnector.BLOCKED)) {
                conversations.save(ref.withBlocked(true));
            }
            throw e;
        }
    }

    /** An approval channel: one card for everyone there; those who may decide now get buttons on refresh. */
    @Override
    public MessageRef postToConversation(String channelId, Notification n) throws DeliveryException {
        TeamsConversations.Channel channel = conversations.channel(channelId).orElseThrow(() -> DeliveryException.permanent(
                "Clearance has not been added to a team with channel " + channelId + " (approval-channels.teams)"));
        String id = connector.send(channel.serviceUrl(), channelId, TeamsMessages.forChannel(n, refreshUsers(n, channel)), summary(n));
        return new MessageRef(NAME, channelId, id);
    }

    /** Teams user ids of the people who may decide now; the channel's card refreshes (with buttons) for them. */
    private List<String> refreshUsers(Notification n, TeamsConversations.Channel channel) throws DeliveryException {
        return n.request().isEmpty() ? List.of() : deciders.userIds(n.request().get(), channel);
    }

    @Override
    public Optional<String> fingerprint(Notification n) {
        // the card's maps keep their insertion order, so equal cards print equally
        return Optional.of(Fingerprint.of(summary(n) + "\n" + TeamsMessages.render(n)));
    }

    @Override
    public void update(MessageRef ref, Notification n) throws DeliveryException {
        Optional<TeamsConversations.Channel> channel = conversations.channel(ref.conversationId());
        if (channel.isPresent()) {
            connector.update(channel.get().serviceUrl(), ref.conversationId(), ref.messageId(),
                    TeamsMessages.forChannel(n, refreshUsers(n, channel.get())), summary(n));
            return;
        }
        TeamsConversations.Reference conversation = conversations.byConversationId(ref.conversationId())
                .orElseThrow(() -> DeliveryException.permanent("no Teams conversation " + ref.conversationId()));
        connector.update(conversation.serviceUrl(), ref.conversationId(), ref.messageId(), TeamsMessages.render(n), summary(n));
    }

    private Optional<TeamsConversations.Reference> reference(Person person) throws DeliveryException {
        Optional<TeamsConversations.Reference> declared = person.chatIdentity(NAME).flatMap(conversations::byAadObjectId);
        if (declared.isPresent()) {
            return declared; // the policy file pins this person to an object id
        }
        // NB: a stored email older than the refresh period is confirmed before a message for that person goes there;
        // a conversation whose email turns out different is updated, and the next one with this email is tried
        for (int tries = 0; tries < 5; tries++) {
            Optional<TeamsConversations.Reference> byEmail = conversations.byEmail(person.email());
            if (byEmail.isEmpty()) {
                return byEmail;
            }
            TeamsConversations.Reference confirmed = identities.confirmed(byEmail.get());
            if (person.email().value().equalsIgnoreCase(confirmed.email())) {
                return Optional.of(confirmed);
            }
        }
        return Optional.empty();
    }

    private static String summary(Notification n) {
        return TeamsElements.neutral(Texts.truncate(TextRenderer.render(n).lines().findFirst().orElse("Clearance"), 200));
    }
}
