package dev.clearance.cards.teams;

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

import static dev.clearance.cards.Json.arr;
import static dev.clearance.cards.Json.obj;
import static dev.clearance.cards.teams.TeamsElements.card;
import static dev.clearance.cards.teams.TeamsElements.details;
import static dev.clearance.cards.teams.TeamsElements.execute;
import static dev.clearance.cards.teams.TeamsElements.facts;
import static dev.clearance.cards.teams.TeamsElements.outcome;
import static dev.clearance.cards.teams.TeamsElements.small;
import static dev.clearance.cards.teams.TeamsElements.text;
import static dev.clearance.cards.teams.TeamsElements.title;

/** Replies to the bot's commands (a message, {@code show}, {@code pending}, {@code whoapproves}). Pure. */
public final class TeamsReplies {
    private TeamsReplies() {
    }

    public static Map<String, Object> reply(CommandReply reply) {
        if (reply instanceof CommandReply.Usage u) {
            return message(u.unknown().map(name -> "I don't know **" + name + "**.\n\n").orElse("")
                    + usage(u.lines()));
        } else if (reply instanceof CommandReply.RequestForm) {
            return TeamsForms.requestForm();
        } else if (reply instanceof CommandReply.Pending p) {
            return pending(p.items(), p.actionable(), p.page(), p.more());
        } else if (reply instanceof CommandReply.Shown s) {
            return show(s.request());
        } else if (reply instanceof CommandReply.DryRun d) {
            return whoApproves(d.resource(), d.account(), d.preview());
        } else if (reply instanceof CommandReply.Done d) {
            return message(d.plain());
        } else if (reply instanceof CommandReply.Refused r) {
            return message("⚠ " + r.reason());
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

    public static Map<String, Object> message(String markdown) {
        return card(List.of(text(markdown, "Default", false)), List.of());
    }

    public static Map<String, Object> show(RequestView v) {
        List<Object> body = new ArrayList<>();
        body.add(title(Titles.of(v) + " · " + v.id()));
        body.add(text(outcome(v), "Default", false));
        body.add(facts(details(v, true)));
        v.providerReference().ifPresent(ref -> body.add(text("**Provider reference:** " + ref, "Default", true)));
        List<AuditEvent> audit = v.audit();
        int from = Math.max(0, audit.size() - Texts.AUDIT_LINES);
        StringBuilder trail = new StringBuilder("**Audit trail**" + (from > 0 ? " (last " + Texts.AUDIT_LINES + " of " + audit.size() + ")" : ""));
        for (AuditEvent e : audit.subList(from, audit.size())) {
            trail.append("\n\n").append(Texts.auditLine(e));
        }
        body.add(text(trail.toString(), "Default", true));
        return card(body, List.of());
    }

    public static Map<String, Object> pending(List<RequestView> page, int pageNumber, boolean more) {
        return pending(page, List.of(), pageNumber, more);
    }

    /**
     * The pending list; entries the viewer can decide now ({@code actionable} ids) get Approve and Deny, which answer
     * with that request's approval card, where the reason is given.
     */
    public static Map<String, Object> pending(List<RequestView> page, List<String> actionable, int pageNumber, boolean more) {
        List<Object> body = new ArrayList<>();
        body.add(title(page.isEmpty() ? "Nothing pending" : "Pending requests"));
        for (RequestView v : page) {
            List<Object> items = arr(
                    text("**" + v.resource() + "** in **" + v.account() + "** for " + v.requesterName() + " — "
                            + Titles.of(v).toLowerCase(), "Default", false),
                    small(v.progress() + " · created " + Texts.time(v.createdAt()) + " · " + v.id()));
            if (actionable.contains(v.id())) {
                items.add(obj("type", "ActionSet", "actions", arr(
                        execute("Approve", Actions.APPROVE, v.id(), "positive", "none"),
                        execute("Deny", Actions.DENY, v.id(), "destructive", "none"))));
            }
            body.add(obj("type", "Container", "separator", true, "items", items));
        }
        if (more || pageNumber > 1) {
            body.add(small("Page " + pageNumber + (more ? " · next: pending " + (pageNumber + 1) : "")));
        }
        return card(body, List.of());
    }

    public static Map<String, Object> whoApproves(String resource, String account, PolicyPreview p) {
        StringBuilder sb = new StringBuilder("**" + resource + "** in **" + account + "** (scope " + p.scope()
                + ") falls under policy **" + p.policy() + "**: at most " + p.maxDuration().describe() + ", self-approval "
                + (p.selfApprovalAllowed() ? "allowed" : "forbidden") + ".");
        for (int i = 0; i < p.steps().size(); i++) {
            PolicyPreview.StepPreview s = p.steps().get(i);
            sb.append("\n\n").append(i + 1).append(". ").append(s.name()).append(": ").append(s.required()).append(" of ")
                    .append(String.join(", ", s.approvers()));
        }
        p.cannotGrant().ifPresent(why -> sb.append("\n\n⚠️ **Cannot be granted**: ").append(why)
                .append(". A request for it is refused."));
        return message(sb.toString());
    }
}
