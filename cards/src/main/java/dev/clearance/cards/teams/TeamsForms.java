package dev.clearance.cards.teams;

import dev.clearance.cards.Actions;
import dev.clearance.cards.Texts;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AuditEvent;
import dev.clearance.core.view.RequestView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.clearance.cards.Json.obj;
import static dev.clearance.cards.teams.TeamsIds.INPUT_ACCOUNT;
import static dev.clearance.cards.teams.TeamsIds.INPUT_JUSTIFICATION;
import static dev.clearance.cards.teams.TeamsIds.INPUT_REASON;
import static dev.clearance.cards.teams.TeamsIds.INPUT_RESOURCE;
import static dev.clearance.cards.teams.TeamsElements.card;
import static dev.clearance.cards.teams.TeamsElements.details;
import static dev.clearance.cards.teams.TeamsElements.durationInput;
import static dev.clearance.cards.teams.TeamsElements.execute;
import static dev.clearance.cards.teams.TeamsElements.fact;
import static dev.clearance.cards.teams.TeamsElements.facts;
import static dev.clearance.cards.teams.TeamsElements.small;
import static dev.clearance.cards.teams.TeamsElements.text;
import static dev.clearance.cards.teams.TeamsElements.title;

/**
 * The cards people fill in and submit: the justification prompt, the approval card (duration and reason), the
 * extension offer before the end, and the request form of the {@code request} command. Pure.
 */
public final class TeamsForms {
    private TeamsForms() {
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
}
