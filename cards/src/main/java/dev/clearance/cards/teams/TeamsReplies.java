package dev.clearance.cards.teams;

import dev.clearance.core.command.CommandReply;
import dev.clearance.core.command.UsageLine;

import java.util.List;
import java.util.Map;

/** The cards answering a message to the bot (its commands). Pure. */
public final class TeamsReplies {
    private TeamsReplies() {
    }

    public static Map<String, Object> reply(CommandReply reply) {
        if (reply instanceof CommandReply.Usage u) {
            return TeamsCards.message(u.unknown().map(name -> "I don't know **" + name + "**.\n\n").orElse("")
                    + usage(u.lines()));
        } else if (reply instanceof CommandReply.RequestForm) {
            return TeamsCards.requestForm();
        } else if (reply instanceof CommandReply.Pending p) {
            return TeamsCards.pending(p.items(), p.actionable(), p.page(), p.more());
        } else if (reply instanceof CommandReply.Shown s) {
            return TeamsCards.show(s.request());
        } else if (reply instanceof CommandReply.DryRun d) {
            return TeamsCards.whoApproves(d.resource(), d.account(), d.preview());
        } else if (reply instanceof CommandReply.Done d) {
            return TeamsCards.message(d.plain());
        } else if (reply instanceof CommandReply.Refused r) {
            return TeamsCards.message("⚠ " + r.reason());
        }
        throw new IllegalArgumentException("no Teams reply for " + reply);
    }

    /** The help: every command in bold, with its arguments and what it does. */
    public static String usage(List<UsageLine> lines) {
        StringBuilder sb = new StringBuilder("**Clearance** — " + UsageLine.TITLE + ". Commands:");
        for (UsageLine l : lines) {
            sb.append("\n\n**").append(l.name()).append("**").append(l.args().isEmpty() ? "" : " " + l.args())
                    .append(" — ").append(l.what());
        }
        return sb.toString();
    }
}
