package dev.clearance.adapters.teams;

import com.microsoft.bot.schema.Activity;
import dev.clearance.cards.teams.TeamsReplies;
import dev.clearance.core.command.ChatCommand;
import dev.clearance.core.command.ChatCommands;
import dev.clearance.core.command.CommandReply;
import dev.clearance.core.command.UsageLine;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A message to the bot: the command run by the core ({@link ChatCommands}), its reply drawn as a card; and Teams' own
 * {@code channelid}.
 */
final class TeamsCommands {
    static final UsageLine CHANNEL_ID = new UsageLine("channelid", "",
            "in a team channel: its id, to make it an approval channel");

    private final ChatCommands commands;
    private final TeamsIdentities identities;

    TeamsCommands(AccessRequestService service, RequestQueries queries, RequestViews views, TeamsIdentities identities) {
        this.commands = new ChatCommands(service, queries, views, "", List.of(CHANNEL_ID));
        this.identities = identities;
    }

    Map<String, Object> reply(Activity a) {
        ChatCommand cmd = ChatCommand.parse(Optional.ofNullable(a.getText()).orElse("").replaceAll("(?s)<at>.*?</at>", " "));
        Optional<CommandReply> anyone = commands.withoutPerson(cmd);
        if (anyone.isPresent()) {
            return TeamsReplies.reply(anyone.get());
        }
        if (cmd.name().equals(CHANNEL_ID.name())) {
            return TeamsReplies.message(TeamsChannelMemory.teamChannel(a).map(id -> "This channel's id, for the policy file: "
                            + "`approval-channels: {teams: \"" + id + "\"}`")
                    .orElse("Ask this in a team channel (with an @mention of Clearance) to see that channel's id."));
        }
        Optional<UserEmail> who;
        try {
            who = identities.emailOf(a);
        } catch (DeliveryException e) {
            return TeamsReplies.message("Teams did not answer while I looked you up; try again in a moment.");
        }
        if (who.isEmpty()) {
            return TeamsReplies.message(noIdentity());
        }
        return TeamsReplies.reply(commands.run(who.get(), cmd, origin(a)));
    }

    /** NB: the origin is the Entra object id of the authenticated activity's sender, never a field of the card. */
    static Origin origin(Activity a) {
        String objectId = a.getFrom() == null ? null : a.getFrom().getAadObjectId();
        return Origin.teams(objectId != null && !objectId.isBlank() ? objectId
                : a.getFrom() == null || a.getFrom().getId() == null ? "" : a.getFrom().getId());
    }

    static String noIdentity() {
        return "I could not find the email address of your Teams account; ask an admin to check your Microsoft 365 profile.";
    }
}
