package dev.clearance.adapters.teams;

import dev.clearance.core.model.UserEmail;
import dev.clearance.core.view.RequestView;
import dev.clearance.core.port.ChatChannel.DeliveryException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Teams user ids of the people who may decide a request now, for an approval channel card's {@code refresh.userIds}:
 * from the channel's team roster (the connector's member list), else from the personal conversations the bot keeps.
 */
final class TeamsDeciders {
    private final TeamsConnector connector;
    private final TeamsConversations conversations;

    TeamsDeciders(TeamsConnector connector, TeamsConversations conversations) {
        this.connector = connector;
        this.conversations = conversations;
    }

    List<String> userIds(RequestView v, TeamsConversations.Channel channel) throws DeliveryException {
        if (v.canDecideNow().isEmpty()) {
            return List.of();
        }
        Map<String, String> roster = connector.memberIdsByEmail(channel.serviceUrl(),
                channel.teamId() != null ? channel.teamId() : channel.channelId());
        Set<String> ids = new LinkedHashSet<>();
        for (String email : v.canDecideNow()) {
            String id = roster.get(email.toLowerCase(Locale.ROOT));
            if (id == null) {
                id = UserEmail.tryParse(email).flatMap(conversations::byEmail).map(TeamsConversations.Reference::userId).orElse(null);
            }
            if (id != null) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }
}
