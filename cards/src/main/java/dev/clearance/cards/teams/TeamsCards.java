package dev.clearance.cards.teams;

import dev.clearance.cards.Actions;
import dev.clearance.cards.Texts;
import dev.clearance.cards.Titles;
import dev.clearance.cards.text.TextRenderer;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.model.Status;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.PolicyPreview;
import dev.clearance.core.notify.RequestView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.clearance.cards.Json.arr;
import static dev.clearance.cards.Json.obj;

/**
 * Adaptive Cards 1.5 for Microsoft Teams. Buttons are {@code Action.Execute} with a verb from {@link Actions} and the
 * request id in {@code data}; Teams merges the card's inputs into that data. Pure.
 */
public final class TeamsCards {
    public static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    public static final String INPUT_REASON = "reason";
    public static final String INPUT_DURATION = "duration";
    public static final String INPUT_JUSTIFICATION = "justification";
    public static final String INPUT_RESOURCE = "resource";
    public static final String INPUT_ACCOUNT = "account";
    public static final String DATA_REQUEST_ID = "requestId";
    static final int TEXT_MAX = 2000;

    private TeamsCards() {
    }

    /** The card for a notification: live copies (prompt, approval request) carry their actions while they apply. */
    public static Map<String, Object> render(Notification n) {
        if (n.request().isEmpty()) {
            return card(List.of(text(TextRenderer.render(n), "Default", false)), List.of());
        }
        RequestView v = n.request().get();
        return switch (n.kind()) {
            case JUSTIFICATION_PROMPT -> v.status() == Status.REQUESTED ? prompt(v) : status(v);
            // NB: buttons only for someone who can act with them now; everyone else sees the state.
            case APPROVAL_REQUEST, REFRESH_COPIES -> v.mayDecide(n.param(RequestView.RECIPIENT)) ? approval(v) : status(v);
            case EXPIRY_NOTICE -> v.mayExtend() ? expiryNotice(v) : status(v);
            default -> card(List.of(text(Texts.truncate(TextRenderer.render(n), TEXT_MAX), "Default", false),
                    small("Request " + v.id())), List.of());
        };
    }

    /**
     * The card for an approval channel, where everyone sees the same card: the state, without buttons, plus a
     * Universal Actions {@code refresh} for {@code userIds} (Teams user ids of those who may decide now, at most 60), whose
     * clients then ask for their own card ({@link #channelCardFor}) and get the buttons.
     */
    public static Map<String, Object> forChannel(Notification n, List<String> userIds) {
        if (n.request().isEmpty()) {
            return render(n);
        }
        RequestView v = n.request().get();
        return withRefresh(status(v), v.id(), v.status() == Status.PENDING ? userIds : List.of());
    }

    /** What one person sees of an approval channel's card after a refresh: buttons if they may decide now. */
    public static Map<String, Object> channelCardFor(RequestView v, String email, List<String> userIds) {
        Map<String, Object> card = v.mayDecide(email) && email != null && !email.isBlank() ? approval(v) : status(v);
        return withRefresh(card, v.id(), v.status() == Status.PENDING ? userIds : List.of());
    }

    /** Adds {@code refresh} for the listed users; none listed (nobody left to decide), the card is returned as is. */
    public static Map<String, Object> withRefresh(Map<String, Object> card, String requestId, List<String> userIds) {
        if (userIds.isEmpty()) {
            return card;
        }
        Map<String, Object> copy = new java.util.LinkedHashMap<>(card);
        copy.put("refresh", obj("action", obj("type", "Action.Execute", "title", "Refresh", "verb", Actions.REFRESH,
                "data", obj(DATA_REQUEST_ID, requestId)), "userIds", userIds.stream().limit(MAX_REFRESH_USERS).toList()));
        return copy;
    }

    /** Teams refreshes a card automatically for at most 60 listed users. */
    public static final int MAX_REFRESH_USERS = 60;

    /** The same card with a visible explanation on top, for a refused click; nothing else changes. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> withNotice(Map<String, Object> card, String notice) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(card);
        List<Object> body = new ArrayList<>((List<Object>) card.get("body"));
        body.add(0, obj("type", "TextBlock", "text", neutral(Texts.truncate(notice, TEXT_MAX)), "wrap", true, "color", "Attention",
                "weight", "Bolder"));
        copy.put("body", body);
        return copy;
    }

    static Map<String, Object> prompt(RequestView v) {
        List<Object> body = new ArrayList<>();
        body.add(title("Access needs your justification"));
        body.add(text("You tried to use **" + v.resource() + "** in account **" + v.account() + "** (scope " + v.scope()
                + "). Policy **" + v.policy() + "** requires approval.", "Default", false));
        body.add(facts(List.of(
                fact("Approval steps", steps(v)),
                fact("Longest duration", v.maxDuration().describe()),
                fact("Answer before", v.justificationDeadline().map(Texts::time).orElse("—")),
                fact("Request", v.id()))));
        body.add(obj("type", "Input.Text", "id", INPUT_JUSTIFICATION, "label", "Why do you need this access?",
                "isMultiline", true, "isRequired", true, "maxLength", 3000,
                "errorMessage", "Say why you need the access (at most 3000 characters)",
                "placeholder", "Ticket or incident, and what you will do"));
        body.add(durationInput("For how long?", v.durationChoices(), v.requestedDuration()));
        return card(body, List.of(
                execute("Submit", Actions.PROVIDE_JUSTIFICATION, v.id(), "positive", null),
                execute("No", Actions.DECLINE_JUSTIFICATION, v.id(), "destructive", "none")));
    }

    /** Shortly before the end: when, and how much longer and why, submitted with Extend. */
    static Map<String, Object> expiryNotice(RequestView v) {
        List<Object> body = new ArrayList<>();
        body.add(title("Your access ends soon"));
        body.add(text("Your access to **" + v.resource() + "** in account **" + v.account() + "** ends at **"
                + v.expiresAt().map(Texts::time).orElse("?") + "**. Need more time? Ask for an extension; the approvers of "
                + "policy **" + v.policy() + "** decide, and if they do not in time, access ends as planned.", "Default", false));
        List<AccessDuration> choices = Texts.extensionChoices(v);
        // only rendered when some length fits (RequestView.mayExtend); never "until revoked"
        body.add(durationInput("How much longer?", choices, choices.isEmpty() ? AccessDuration.MENU_WITH_END.get(0) : choices.get(0)));
        body.add(obj("type", "Input.Text", "id", INPUT_JUSTIFICATION, "label", "Why do you need more time?",
                "isMultiline", true, "isRequired", true, "maxLength", 3000,
                "errorMessage", "Say why you need more time (at most 3000 characters)"));
        v.remainingTotalLine().ifPresent(line -> body.add(small(line)));
        body.add(small("Request " + v.id()));
        return card(body, List.of(execute("Extend", Actions.EXTEND, v.id(), "positive", null)));
    }

    static Map<String, Object> approval(RequestView v) {
        List<Object> body = new ArrayList<>();
        String heading = v.isExtension() ? "Extension needed" : "Approval needed";
        body.add(title(v.escalationLevel() > 0 ? heading + " (escalated)" : heading));
        if (v.isExtension()) {
            body.add(text(v.requesterName() + " asks for **" + v.requestedDuration().describe() + "** more on **" + v.resource()
                    + "** in account **" + v.account() + "**: " + Texts.extensionLine(v), "Default", false));
        }
        if (v.escalationLevel() > 0) {
            body.add(text("Escalated (level " + v.escalationLevel() + "): pending for "
                    + Texts.waited(Duration.between(v.pendingSince().orElse(v.createdAt()), lastEscalation(v))), "Attention", false));
        }
        body.add(facts(details(v, true)));
        List<AccessDuration> choices = new ArrayList<>(v.durationChoices());
        if (!choices.contains(v.requestedDuration())) {
            choices.add(v.requestedDuration());
        }
        body.add(durationInput("Grant for", choices, v.requestedDuration()));
        body.add(obj("type", "Input.Text", "id", INPUT_REASON, "label", "Reason", "isMultiline", true, "isRequired", true,
                "maxLength", 3000, "errorMessage", "Give a reason for your decision"));
        return card(body, List.of(
                execute("Approve", Actions.APPROVE, v.id(), "positive", null),
                execute("Deny", Actions.DENY, v.id(), "destructive", null)));
    }

    /** A decided or moved-on request: outcome, who, why, and no buttons. */
    public static Map<String, Object> status(RequestView v) {
        List<Object> body = new ArrayList<>();
        body.add(title(Titles.of(v)));
        body.add(text(outcome(v), v.status() == Status.DENIED ? "Attention" : v.status() == Status.APPROVED ? "Good" : "Default", false));
        body.add(facts(details(v, true)));
        return card(body, List.of());
    }

    // ------------------------------------------------------------------ command replies

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

    /**
     * The request form sent by the {@code request} command; the policy is resolved and checked on submit. There is no
     * scope to choose: it follows from the account, and {@code whoapproves} shows it before.
     */
    public static Map<String, Object> requestForm() {
        List<Object> body = new ArrayList<>();
        body.add(title("Request access"));
        body.add(obj("type", "Input.Text", "id", INPUT_RESOURCE, "label", "Resource (e.g. s3:DeleteBucket)", "isRequired", true,
                "maxLength", 256, "errorMessage", "Name the resource"));
        body.add(obj("type", "Input.Text", "id", INPUT_ACCOUNT, "label", "Account", "isRequired", true, "maxLength", 128,
                "errorMessage", "Name the account"));
        body.add(small("The scope, and so who approves, follows from the account: whoapproves <resource> <account> shows it."));
        // NB: "until revoked" is not offered: the policy, and whether it allows that, is known only on submit.
        body.add(durationInput("For how long?", AccessDuration.MENU_WITH_END, AccessDuration.parse("1h")));
        body.add(obj("type", "Input.Text", "id", INPUT_JUSTIFICATION, "label", "Why do you need this access?",
                "isMultiline", true, "isRequired", true, "maxLength", 3000, "errorMessage", "Say why you need the access"));
        return card(body, List.of(obj("type", "Action.Execute", "title", "Request", "verb", Actions.SUBMIT_REQUEST,
                "style", "positive", "data", obj("form", "request"))));
    }

    // ------------------------------------------------------------------ pieces

    static List<Map<String, Object>> details(RequestView v, boolean withJustification) {
        List<Map<String, Object>> f = new ArrayList<>();
        f.add(fact("Requester", v.requesterName()));
        f.add(fact("Email", v.requesterEmail()));
        if (v.isExtension()) {
            f.add(fact("Extends", Texts.extensionLine(v)));
        }
        f.add(fact("Resource", v.resource()));
        v.detectedLine().ifPresent(d -> f.add(fact("Detected", "AWS " + d)));
        f.add(fact("Account", v.account()));
        f.add(fact("Scope", v.scope()));
        f.add(fact("Requested duration", v.requestedDuration().describe()));
        if (withJustification) {
            f.add(fact("Justification", Texts.truncate(v.justification().orElse("(none yet)"), TEXT_MAX)));
        }
        f.add(fact("Policy", v.policy()));
        f.add(fact("Progress", v.progress()));
        if (v.status() == Status.PENDING) {
            f.add(fact("Decide before", v.pendingDeadline().map(Texts::time).orElse("—")));
        }
        f.add(fact("Escalation level", Integer.toString(v.escalationLevel())));
        v.remainingTotalLine().ifPresent(line -> f.add(fact("Extension", line)));
        f.add(fact("Request", v.id()));
        return f;
    }


    static String outcome(RequestView v) {
        String who = v.decidedByName().orElse("?");
        String when = v.decidedAt().map(Texts::time).orElse("");
        if (v.isExtension() && v.status() == Status.APPROVED) {
            return "Extension approved by **" + who + "** on " + when + " for **" + v.approvedDuration()
                    .map(AccessDuration::describe).orElse("?") + "**: " + v.decisionReason().orElse("") + "\n\n"
                    + Texts.extensionLine(v);
        }
        return switch (v.status()) {
            case APPROVED -> "Approved by **" + who + "** on " + when + " for **" + v.approvedDuration().map(AccessDuration::describe)
                    .orElse("?") + "**: " + v.decisionReason().orElse("") + "\n\nAccess: " + v.grantState().name().toLowerCase()
                    + v.expiresAt().map(e -> ", until " + Texts.time(e)).orElse("");
            case DENIED -> "Denied by **" + who + "** on " + when + ": " + v.decisionReason().orElse("");
            case PENDING -> "Submitted; waiting for approvers (" + v.progress() + ")";
            case ENDED -> "Access ended" + v.decidedByName().map(d -> " (approved by " + d + ")").orElse("");
            default -> Titles.of(v);
        };
    }

    private static String steps(RequestView v) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < v.steps().size(); i++) {
            s.add((i + 1) + ". " + v.steps().get(i).name() + " (" + v.steps().get(i).required() + ")");
        }
        return String.join(", ", s);
    }

    private static Instant lastEscalation(RequestView v) {
        return v.audit().stream().filter(e -> e.reason() != null && e.reason().startsWith("escalated"))
                .map(AuditEvent::at).reduce((a, b) -> b).orElse(v.createdAt());
    }

    private static Map<String, Object> card(List<Object> body, List<Object> actions) {
        return obj("type", "AdaptiveCard", "$schema", "http://adaptivecards.io/schemas/adaptive-card.json", "version", "1.5",
                "body", body, "actions", actions.isEmpty() ? null : actions);
    }

    /**
     * Text that may carry what people typed, made inert for Teams: an {@code <at>} tag cannot mention and
     * {@code [title](url)} cannot link (a zero-width space breaks each). Clearance's own cards use neither.
     */
    public static String neutral(String text) {
        if (text == null) {
            return null;
        }
        // NB: user text (justification, reason, names) must not mention anyone or hide a link behind a title.
        return AT_TAG.matcher(text).replaceAll("<\u200B$1").replace("](", "]\u200B(");
    }

    private static final java.util.regex.Pattern AT_TAG = java.util.regex.Pattern.compile("(?i)<(/?\\s*at\\b)");

    private static Map<String, Object> title(String text) {
        return obj("type", "TextBlock", "text", neutral(Texts.truncate(text, 200)), "size", "Medium", "weight", "Bolder", "wrap", true);
    }

    private static Map<String, Object> text(String text, String color, boolean small) {
        return obj("type", "TextBlock", "text", neutral(Texts.truncate(text, 6000)), "wrap", true,
                "color", color.equals("Default") ? null : color, "size", small ? "Small" : null);
    }

    private static Map<String, Object> small(String text) {
        return obj("type", "TextBlock", "text", neutral(Texts.truncate(text, TEXT_MAX)), "wrap", true, "size", "Small", "isSubtle", true);
    }

    private static Map<String, Object> facts(List<Map<String, Object>> facts) {
        return obj("type", "FactSet", "facts", facts);
    }

    private static Map<String, Object> fact(String title, String value) {
        return obj("title", title, "value", value == null || value.isEmpty() ? "—" : neutral(value));
    }

    private static Map<String, Object> durationInput(String label, List<AccessDuration> choices, AccessDuration initial) {
        return obj("type", "Input.ChoiceSet", "id", INPUT_DURATION, "label", label, "style", "compact",
                "value", choices.contains(initial) ? initial.toString() : null,
                "choices", choices.stream().map(d -> obj("title", d.describe(), "value", d.toString())).toList());
    }

    private static Map<String, Object> execute(String title, String verb, String requestId, String style, String associatedInputs) {
        return obj("type", "Action.Execute", "title", title, "verb", verb, "style", style,
                "associatedInputs", associatedInputs, "data", obj(DATA_REQUEST_ID, requestId));
    }
}
