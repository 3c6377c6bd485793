package dev.clearance.adapters.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The team channels the bot has heard from (added to a team, a mention in a channel), kept so that they can serve as
 * approval channels: posting there needs the service URL only such an activity brings.
 */
final class TeamsChannelMemory {
    private static final Logger LOG = LoggerFactory.getLogger(TeamsChannelMemory.class);

    private final TeamsConversations conversations;

    TeamsChannelMemory(TeamsConversations conversations) {
        this.conversations = conversations;
    }

    /** Keeps the channel of an activity from a team. */
    void remember(Activity a) {
        JsonNode data = channelData(a);
        teamChannel(a, data).ifPresent(channelId -> {
            // every click in a channel comes through here: write only what is new (a channel, or its moved service URL)
            if (conversations.channel(channelId).filter(c -> c.serviceUrl().equals(a.getServiceUrl())).isPresent()) {
                return;
            }
            String teamId = textAt(data, "team", "id");
            String teamName = textAt(data, "team", "name");
            String tenant = a.getConversation().getTenantId() != null ? a.getConversation().getTenantId()
                    : textAt(data, "tenant", "id");
            conversations.saveChannel(new TeamsConversations.Channel(channelId, teamId, teamName, tenant, a.getServiceUrl(),
                    a.getRecipient() == null ? null : a.getRecipient().getId()));
            LOG.info("Teams channel {} of team {} is known now; to send approval requests there, use "
                    + "approval-channels: {teams: \"{}\"}", channelId, teamName == null ? teamId : teamName, channelId);
        });
    }

    /** The known channel an activity came from, if it came from one. */
    Optional<TeamsConversations.Channel> channelOf(Activity a) {
        return teamChannel(a).flatMap(this::known);
    }

    Optional<TeamsConversations.Channel> known(String channelId) {
        return conversations.channel(channelId);
    }

    /** The channel an activity came from: its conversation id without the thread suffix, when in a team. */
    static Optional<String> teamChannel(Activity a) {
        return teamChannel(a, channelData(a));
    }

    private static Optional<String> teamChannel(Activity a, JsonNode data) {
        if (a.getConversation() == null || a.getServiceUrl() == null) {
            return Optional.empty();
        }
        String channel = textAt(data, "channel", "id");
        if (channel == null) {
            // the bot added to a team: the activity comes from the team's General channel, whose id is the team's
            channel = textAt(data, "team", "id");
        }
        if (channel == null && "channel".equals(a.getConversation().getConversationType())) {
            channel = a.getConversation().getId().split(";", 2)[0];
        }
        return Optional.ofNullable(channel);
    }

    private static JsonNode channelData(Activity a) {
        return a.getChannelData() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : Serialization.objectToTree(a.getChannelData());
    }

    private static String textAt(JsonNode node, String object, String field) {
        JsonNode n = node.path(object).path(field);
        return n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }
}
