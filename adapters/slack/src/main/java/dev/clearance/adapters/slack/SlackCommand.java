package dev.clearance.adapters.slack;

import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import dev.clearance.cards.slack.SlackModals;
import dev.clearance.cards.slack.SlackReplies;
import dev.clearance.core.command.ChatCommand;
import dev.clearance.core.command.ChatCommands;
import dev.clearance.core.command.CommandReply;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

import static dev.clearance.adapters.slack.SlackPayloads.ephemeral;

/** The {@code /access} command: the Slack user proven, the command run by the core, its reply drawn for Slack. */
final class SlackCommand {
    private static final Logger LOG = LoggerFactory.getLogger(SlackCommand.class);

    private final ChatCommands commands;
    private final SlackIdentities identities;
    private final SlackApi api;

    SlackCommand(ChatCommands commands, SlackIdentities identities, SlackApi api) {
        this.commands = commands;
        this.identities = identities;
        this.api = api;
    }

    Response handle(SlashCommandRequest req) {
        var p = req.getPayload();
        ChatCommand cmd = ChatCommand.parse(p.getText());
        Optional<CommandReply> anyone = commands.withoutPerson(cmd);
        if (anyone.isPresent()) {
            return ephemeral(SlackReplies.reply(anyone.get()));
        }
        Optional<UserEmail> who;
        try {
            who = identities.emailOf(new SlackIdentities.Caller(p.getUserId(), p.getTeamId(), p.getEnterpriseId()));
        } catch (SlackMembership.Refused e) {
            return ephemeral(SlackReplies.text(":no_entry: " + e.getMessage()));
        } catch (DeliveryException e) {
            return ephemeral(SlackReplies.text("Slack did not answer while I looked you up; try again in a moment."));
        }
        if (who.isEmpty()) {
            return ephemeral(SlackReplies.text(SlackPayloads.noIdentity()));
        }
        // NB: the origin is the user and workspace of Slack's signed payload, never a field the user typed.
        CommandReply reply = commands.run(who.get(), cmd, Origin.slack(p.getUserId(), p.getTeamId()));
        if (!(reply instanceof CommandReply.RequestForm)) {
            return ephemeral(SlackReplies.reply(reply));
        }
        try {
            api.openView(p.getTriggerId(), SlackModals.request());
            return Response.ok();
        } catch (DeliveryException e) {
            LOG.warn("/access {} could not open its form: {}", cmd.name(), e.getMessage());
            return ephemeral(SlackReplies.text("Slack did not let me open the form (" + SlackReplies.escape(e.getMessage()) + "); try again."));
        }
    }
}
