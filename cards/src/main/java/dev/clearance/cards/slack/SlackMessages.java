package dev.clearance.cards.slack;

import dev.clearance.cards.Actions;
import dev.clearance.cards.Texts;
import dev.clearance.cards.Titles;
import dev.clearance.cards.text.TextRenderer;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.Status;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.view.RequestView;

import java.time.Duration;
import java.time.Instant;
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
import static dev.clearance.cards.slack.Blocks.quote;
import static dev.clearance.cards.slack.Blocks.section;

/** Chat messages in Block Kit: {@code {"text": fallback, "blocks": [...]}}, one layout per notification kind. Pure. */
public final class SlackMessages {
    private SlackMessages() {
    }

    public static Map<String, Object> render(Notification n) {
        // NB: the top-level text is mrkdwn too: user text in it must not ping (<!channel>), mention or link.
        String fallback = Texts.truncate(esc(TextRenderer.render(n)), Blocks.TEXT_MAX);
        if (n.request().isEmpty()) {
            return obj("text", fallback, "blocks", List.of(section(fallback)));
        }
        RequestView v = n.request().get();
        List<Object> blocks = switch (n.kind()) {
            case JUSTIFICATION_PROMPT -> v.status() == Status.REQUESTED ? prompt(v) : status(v);
            // NB: buttons only for someone who can act with them now; everyone else sees the state.
            case APPROVAL_REQUEST, REFRESH_COPIES -> v.mayDecide(n.param(RequestView.RECIPIENT)) ? approval(v) : status(v);
            case EXPIRY_NOTICE -> v.mayExtend() ? expiryNotice(v) : status(v);
            default -> List.of(section(fallback), context("Request `" + v.id() + "`"));
        };
        return obj("text", fallback, "blocks", blocks);
    }

    private static List<Object> prompt(RequestView v) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(header("Access needs your justification"));
        blocks.add(section("You tried to use *" + esc(v.resource()) + "* in account *" + esc(v.account()) + "* (scope `"
                + esc(v.scope()) + "`). Policy *" + esc(v.policy()) + "* requires approval."));
        blocks.add(fields(List.of(
                "*Approval steps*\n" + steps(v),
                "*Longest duration*\n" + v.maxDuration().describe(),
                "*Requested duration*\n" + v.requestedDuration().describe(),
                "*Answer before*\n" + v.justificationDeadline().map(Texts::time).orElse("—"))));
        blocks.add(context("Say why you need it and for how long; the approvers are then asked, and access is granted "
                + "for the approved time only. Request `" + v.id() + "`"));
        blocks.add(actions("clearance.requester", List.of(
                button("Provide justification", Actions.PROVIDE_JUSTIFICATION, v.id(), "primary"),
                button("No", Actions.DECLINE_JUSTIFICATION, v.id(), "danger"))));
        return blocks;
    }

    /** Shortly before the end: when, and an Extend button that opens the extension form. */
    private static List<Object> expiryNotice(RequestView v) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(header("Your access ends soon"));
        blocks.add(section("Your access to *" + esc(v.resource()) + "* in account *" + esc(v.account()) + "* ends at *"
                + v.expiresAt().map(Texts::time).orElse("?") + "*. Need more time? Ask for an extension; the approvers of policy *"
                + esc(v.policy()) + "* decide, and if they do not in time, access ends as planned."));
        blocks.add(actions("clearance.extend", List.of(button("Extend", Actions.EXTEND, v.id(), "primary"))));
        blocks.add(context(v.remainingTotalLine().map(line -> line + " · ").orElse("") + "Request `" + v.id() + "`"));
        return blocks;
    }

    private static List<Object> approval(RequestView v) {
        List<Object> blocks = new ArrayList<>();
        String title = v.isExtension() ? "Extension needed" : "Approval needed";
        blocks.add(header(v.escalationLevel() > 0 ? title + " (escalated)" : title));
        blocks.add(section(v.isExtension()
                ? "*" + esc(v.requesterName()) + "* (" + esc(v.requesterEmail()) + ") asks for *" + v.requestedDuration().describe()
                        + "* more on *" + esc(v.resource()) + "* in account *" + esc(v.account()) + "*: "
                        + esc(Texts.extensionLine(v))
                : "*" + esc(v.requesterName()) + "* (" + esc(v.requesterEmail()) + ") requests *" + esc(v.resource())
                        + "* in account *" + esc(v.account()) + "*"));
        detected(v, blocks);
        blocks.add(fields(details(v)));
        blocks.add(section("*Justification*\n" + quote(v.justification().orElse("(none)"), 2800)));
        if (v.escalationLevel() > 0) {
            blocks.add(context(":rotating_light: Escalated (level " + v.escalationLevel() + "): pending for "
                    + Texts.waited(Duration.between(v.pendingSince().orElse(v.createdAt()), lastEscalation(v)))));
        }
        blocks.add(actions("clearance.approver", List.of(
                button("Approve", Actions.APPROVE, v.id(), "primary"),
                button("Deny", Actions.DENY, v.id(), "danger"))));
        blocks.add(context("Request `" + v.id() + "` · you will be asked for a reason"));
        return blocks;
    }

    /** For a request the CloudTrail detector opened: what AWS denied, and how many attempts followed. */
    private static void detected(RequestView v, List<Object> blocks) {
        v.detectedLine().ifPresent(d -> blocks.add(context(":mag: Detected: AWS " + esc(d))));
    }

    /** A decided or moved-on request: the outcome, who, why, and no buttons. */
    static List<Object> status(RequestView v) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(header(Titles.of(v)));
        blocks.add(section(outcome(v)));
        detected(v, blocks);
        blocks.add(fields(details(v)));
        v.justification().ifPresent(j -> blocks.add(section("*Justification*\n" + quote(j, 2800))));
        blocks.add(context("Request `" + v.id() + "`"));
        return blocks;
    }

    static List<String> details(RequestView v) {
        List<String> f = new ArrayList<>();
        f.add("*Requester*\n" + esc(v.requesterName()) + " (" + esc(v.requesterEmail()) + ")");
        if (v.isExtension()) {
            f.add("*Extends*\n" + esc(Texts.extensionLine(v)));
        }
        f.add("*Resource*\n" + esc(v.resource()));
        f.add("*Account*\n" + esc(v.account()));
        f.add("*Scope*\n`" + esc(v.scope()) + "`");
        f.add("*Requested duration*\n" + v.requestedDuration().describe());
        f.add("*Policy*\n" + esc(v.policy()));
        f.add("*Progress*\n" + esc(v.progress()));
        if (v.status() == Status.PENDING) {
            f.add("*Decide before*\n" + v.pendingDeadline().map(Texts::time).orElse("—"));
        }
        if (v.escalationLevel() > 0) {
            f.add("*Escalation*\nlevel " + v.escalationLevel());
        }
        v.remainingTotalLine().ifPresent(line -> f.add("*Extension*\n" + line));
        return f;
    }


    static String outcome(RequestView v) {
        String who = v.decidedByName().map(Blocks::esc).orElse("?");
        String when = v.decidedAt().map(Texts::time).orElse("");
        if (v.isExtension() && v.status() == Status.APPROVED) {
            return ":white_check_mark: Extension approved by *" + who + "* on " + when + " for *"
                    + v.approvedDuration().map(AccessDuration::describe).orElse("?") + "*: " + esc(v.decisionReason().orElse(""))
                    + "\n" + esc(Texts.extensionLine(v));
        }
        return switch (v.status()) {
            case APPROVED -> ":white_check_mark: Approved by *" + who + "* on " + when + " for *"
                    + v.approvedDuration().map(AccessDuration::describe).orElse("?") + "*: " + esc(v.decisionReason().orElse(""))
                    + "\nAccess: " + v.grantState().name().toLowerCase()
                    + v.expiresAt().map(e -> ", until " + Texts.time(e)).orElse("");
            case DENIED -> ":no_entry: Denied by *" + who + "* on " + when + ": " + esc(v.decisionReason().orElse(""));
            case PENDING -> ":hourglass_flowing_sand: Submitted; waiting for approvers (" + esc(v.progress()) + ")";
            case ENDED -> ":lock: Access ended" + v.decidedByName().map(d -> " (approved by " + Blocks.esc(d) + ")").orElse("");
            default -> esc(Titles.of(v));
        };
    }

    private static String steps(RequestView v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.steps().size(); i++) {
            sb.append(i + 1).append(". ").append(esc(v.steps().get(i).name())).append(" (").append(v.steps().get(i).required())
                    .append(v.steps().get(i).required() == 1 ? " approval" : " approvals").append(")\n");
        }
        return sb.toString().strip();
    }

    private static Instant lastEscalation(RequestView v) {
        return v.audit().stream().filter(e -> e.reason() != null && e.reason().startsWith("escalated"))
                .map(AuditEvent::at).reduce((a, b) -> b).orElse(v.createdAt());
    }
}
