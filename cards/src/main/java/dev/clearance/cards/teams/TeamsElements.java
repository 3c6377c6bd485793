package dev.clearance.cards.teams;

import dev.clearance.cards.Texts;
import dev.clearance.cards.Titles;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.Status;
import dev.clearance.core.view.RequestView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.clearance.cards.Json.obj;
import static dev.clearance.cards.teams.TeamsIds.DATA_REQUEST_ID;
import static dev.clearance.cards.teams.TeamsIds.INPUT_DURATION;

/**
 * Adaptive Card 1.5 building blocks (text, facts, inputs, {@code Action.Execute} buttons) and the request details
 * every card shows; text that may carry what people typed is made inert ({@link #neutral}).
 */
public final class TeamsElements {
    static final int TEXT_MAX = 2000;

    private TeamsElements() {
    }

    static Map<String, Object> card(List<Object> body, List<Object> actions) {
        return obj("type", "AdaptiveCard", "$schema", "http://adaptivecards.io/schemas/adaptive-card.json", "version", "1.5",
                "body", body, "actions", actions.isEmpty() ? null : actions);
    }

    static Map<String, Object> title(String text) {
        return obj("type", "TextBlock", "text", neutral(Texts.truncate(text, 200)), "size", "Medium", "weight", "Bolder", "wrap", true);
    }

    static Map<String, Object> text(String text, String color, boolean small) {
        return obj("type", "TextBlock", "text", neutral(Texts.truncate(text, 6000)), "wrap", true,
                "color", color.equals("Default") ? null : color, "size", small ? "Small" : null);
    }

    static Map<String, Object> small(String text) {
        return obj("type", "TextBlock", "text", neutral(Texts.truncate(text, TEXT_MAX)), "wrap", true, "size", "Small", "isSubtle", true);
    }

    static Map<String, Object> facts(List<Map<String, Object>> facts) {
        return obj("type", "FactSet", "facts", facts);
    }

    static Map<String, Object> fact(String title, String value) {
        return obj("title", title, "value", value == null || value.isEmpty() ? "—" : neutral(value));
    }

    static Map<String, Object> durationInput(String label, List<AccessDuration> choices, AccessDuration initial) {
        return obj("type", "Input.ChoiceSet", "id", INPUT_DURATION, "label", label, "style", "compact",
                "value", choices.contains(initial) ? initial.toString() : null,
                "choices", choices.stream().map(d -> obj("title", d.describe(), "value", d.toString())).toList());
    }

    static Map<String, Object> execute(String title, String verb, String requestId, String style, String associatedInputs) {
        return obj("type", "Action.Execute", "title", title, "verb", verb, "style", style,
                "associatedInputs", associatedInputs, "data", obj(DATA_REQUEST_ID, requestId));
    }

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

    private static final Pattern AT_TAG = Pattern.compile("(?i)<(/?\\s*at\\b)");
}
