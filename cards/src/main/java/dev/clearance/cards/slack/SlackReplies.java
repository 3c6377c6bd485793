package dev.clearance.cards.slack;

import dev.clearance.cards.Actions;
import dev.clearance.cards.Texts;
import dev.clearance.cards.Titles;
import dev.clearance.core.command.CommandReply;
import dev.clearance.core.command.UsageLine;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.view.PolicyPreview;
import dev.clearance.core.view.RequestView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.clearance.cards.Json.obj;
import static dev.clearance.cards.slack.Blocks.actions;
import static dev.clearance.cards.slack.Blocks.button;
import static dev.clearance.cards.slack.Blocks.context;
import static dev.clearance.cards.slack.Blocks.esc;
import static dev.clearance.cards.slack.Blocks.fields;
import static dev.clearance.cards.slack.Blocks.header;
import static dev.clearance.cards.slack.Blocks.section;

/** Ephemeral replies to {@code /access}. Pure. */
public final class SlackReplies {
    /** How a command is typed on Slack, before its name. */
    public static final String INVOCATION = "/access ";

    private SlackReplies() {
    }

    /** Text from elsewhere (an error message that may quote user input) made safe to put in mrkdwn. */
    public static String escape(String text) {
        return Blocks.esc(text);
    }

    /**
     * The ephemeral reply to {@code /access}. {@link CommandReply.RequestForm} is no reply: the adapter opens the
     * form ({@link SlackModals#request()}) and acks with nothing.
     */
    public static Map<String, Object> reply(CommandReply reply) {
        if (reply instanceof CommandReply.Usage u) {
            return text(u.unknown().map(name -> "I don't know `" + esc(name.replace("`", "")) + "`.\n").orElse("")
                    + usage(u.lines()));
        } else if (reply instanceof CommandReply.Pending p) {
            return pending(p.items(), p.actionable(), p.page(), p.more());
        } else if (reply instanceof CommandReply.Shown s) {
            return show(s.request());
        } else if (reply instanceof CommandReply.DryRun d) {
            return whoApproves(d.resource(), d.account(), d.preview());
        } else if (reply instanceof CommandReply.Done d) {
            return text(d.before() + "`" + d.id() + "`" + d.after());
        } else if (reply instanceof CommandReply.Refused r) {
            return text(":warning: " + esc(r.reason()));
        }
        throw new IllegalArgumentException("no Slack reply for " + reply);
    }

    /** The help: every command as typed, with what it does. */
    public static String usage(List<UsageLine> lines) {
        StringBuilder sb = new StringBuilder("*Clearance* — " + UsageLine.TITLE);
        for (UsageLine l : lines) {
            sb.append("\n`").append(INVOCATION).append(l.syntax()).append("` — ").append(l.what());
        }
        return sb.toString();
    }

    public static Map<String, Object> text(String markdown) {
        return obj("text", Texts.truncate(markdown, Blocks.TEXT_MAX), "blocks", List.of(section(markdown)));
    }

    /**
     * @param actionable ids the viewer may decide now: those get Approve/Deny buttons
     */
    public static Map<String, Object> pending(List<RequestView> page, List<String> actionable, int pageNumber, boolean more) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(header(page.isEmpty() ? "Nothing pending" : "Pending requests"));
        for (int i = 0; i < page.size(); i++) {
            RequestView v = page.get(i);
            blocks.add(section("*" + esc(v.resource()) + "* in *" + esc(v.account()) + "* for " + esc(v.requesterName())
                    + " — " + esc(Titles.of(v)).toLowerCase() + "\n" + esc(v.progress()) + " · created "
                    + Texts.time(v.createdAt()) + " · `" + v.id() + "`"));
            if (actionable.contains(v.id())) {
                blocks.add(actions("pending." + i + "." + v.id(), List.of(
                        button("Approve", Actions.APPROVE, v.id(), "primary"),
                        button("Deny", Actions.DENY, v.id(), "danger"))));
            }
        }
        if (more || pageNumber > 1) {
            blocks.add(context("Page " + pageNumber + (more ? " · next: `/access pending " + (pageNumber + 1) + "`" : "")));
        }
        return obj("text", page.isEmpty() ? "Nothing pending" : page.size() + (page.size() == 1 ? " pending request" : " pending requests"), "blocks", blocks);
    }

    public static Map<String, Object> show(RequestView v) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(header(Titles.of(v) + " · " + v.id()));
        blocks.add(section(SlackMessages.outcome(v)));
        blocks.add(fields(SlackMessages.details(v)));
        v.providerReference().ifPresent(ref -> blocks.add(section("*Provider reference*\n" + esc(ref))));
        v.justification().ifPresent(j -> blocks.add(section("*Justification*\n" + Blocks.quote(j, 2800))));
        List<AuditEvent> audit = v.audit();
        int from = Math.max(0, audit.size() - Texts.AUDIT_LINES);
        StringBuilder trail = new StringBuilder("*Audit trail*" + (from > 0 ? " (last " + Texts.AUDIT_LINES + " of " + audit.size() + ")" : ""));
        for (AuditEvent e : audit.subList(from, audit.size())) {
            trail.append("\n").append(esc(Texts.auditLine(e)));
        }
        blocks.add(section(trail.toString()));
        return obj("text", Titles.of(v) + " · " + v.id(), "blocks", blocks);
    }

    public static Map<String, Object> whoApproves(String resource, String account, PolicyPreview p) {
        StringBuilder sb = new StringBuilder("*" + esc(resource) + "* in *" + esc(account) + "* (scope `" + esc(p.scope())
                + "`) falls under policy *" + esc(p.policy()) + "*: at most " + p.maxDuration().describe() + ", self-approval "
                + (p.selfApprovalAllowed() ? "allowed" : "forbidden") + ".");
        for (int i = 0; i < p.steps().size(); i++) {
            PolicyPreview.StepPreview s = p.steps().get(i);
            sb.append("\n").append(i + 1).append(". ").append(esc(s.name())).append(": ").append(s.required())
                    .append(" of ").append(esc(String.join(", ", s.approvers())));
        }
        p.cannotGrant().ifPresent(why -> sb.append("\n:warning: *Cannot be granted*: ").append(esc(why))
                .append(". A request for it is refused."));
        return text(sb.toString());
    }
}
