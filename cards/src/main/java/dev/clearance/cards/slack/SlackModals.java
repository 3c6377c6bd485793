package dev.clearance.cards.slack;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.notify.RequestView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.clearance.cards.Json.obj;
import static dev.clearance.cards.slack.Blocks.esc;
import static dev.clearance.cards.slack.Blocks.option;
import static dev.clearance.cards.slack.Blocks.plain;
import static dev.clearance.cards.slack.Blocks.section;

/** Modal views: justification, decision, and the /access request form. Pure. */
public final class SlackModals {
    public static final int JUSTIFICATION_MAX = 3000;

    private SlackModals() {
    }

    public static Map<String, Object> justification(RequestView v) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(section("*" + esc(v.resource()) + "* in account *" + esc(v.account()) + "* · policy *" + esc(v.policy()) + "*"));
        blocks.add(textInput(SlackIds.JUSTIFICATION_BLOCK, "Why do you need this access?", true, JUSTIFICATION_MAX,
                "Ticket or incident, and what you will do", false));
        blocks.add(durationSelect("For how long?", v.durationChoices(), v.requestedDuration(), false));
        return modal(SlackIds.JUSTIFY_MODAL, v.id(), "Justify access", "Submit", blocks);
    }

    /** @param approve true for the Approve modal (reason and duration), false for Deny (reason only) */
    public static Map<String, Object> decision(RequestView v, boolean approve) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(section("*" + esc(v.requesterName()) + "* requests *" + esc(v.resource()) + "* in account *"
                + esc(v.account()) + "* for " + v.requestedDuration().describe() + ".\n" + esc(v.progress())));
        blocks.add(textInput(SlackIds.REASON_BLOCK, approve ? "Reason for approving" : "Reason for denying", true, 3000,
                null, false));
        if (approve) {
            List<AccessDuration> choices = new ArrayList<>(v.durationChoices());
            if (!choices.contains(v.requestedDuration())) {
                choices.add(v.requestedDuration());
            }
            blocks.add(durationSelect("Grant for", choices, v.requestedDuration(), false));
        }
        return modal(SlackIds.DECIDE_MODAL, (approve ? "approve:" : "deny:") + v.id(),
                approve ? "Approve access" : "Deny access", approve ? "Approve" : "Deny", blocks);
    }

    /** The /access request form; the policy is resolved and checked when it is submitted. */
    public static Map<String, Object> request(List<String> scopes) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(textInput(SlackIds.RESOURCE_BLOCK, "Resource (e.g. s3:DeleteBucket)", false, 256, null, false));
        blocks.add(textInput(SlackIds.ACCOUNT_BLOCK, "Account", false, 128, null, false));
        if (!scopes.isEmpty()) {
            blocks.add(obj("type", "input", "block_id", SlackIds.SCOPE_BLOCK, "optional", true,
                    "label", plain("Scope (default: where the account is declared)", 2000),
                    "element", obj("type", "static_select", "action_id", SlackIds.INPUT_ACTION,
                            "placeholder", plain("Choose a scope", 150),
                            "options", scopes.stream().limit(100).map(s -> option(s, s)).toList())));
        }
        blocks.add(durationSelect("For how long?", AccessDuration.MENU, AccessDuration.parse("1h"), false));
        blocks.add(textInput(SlackIds.JUSTIFICATION_BLOCK, "Why do you need this access?", true, JUSTIFICATION_MAX,
                "Ticket or incident, and what you will do", false));
        blocks.add(Blocks.context("The policy that applies caps the duration and names the approvers; "
                + "`/access whoapproves <resource> <account>` shows it first."));
        return modal(SlackIds.REQUEST_MODAL, "", "Request access", "Request", blocks);
    }

    private static Map<String, Object> modal(String callbackId, String metadata, String title, String submit, List<Object> blocks) {
        return obj("type", "modal", "callback_id", callbackId, "private_metadata", metadata,
                "title", plain(title, 24), "submit", plain(submit, 24), "close", plain("Cancel", 24),
                "blocks", blocks);
    }

    private static Map<String, Object> textInput(String blockId, String label, boolean multiline, int max, String placeholder,
                                                 boolean optional) {
        return obj("type", "input", "block_id", blockId, "optional", optional ? Boolean.TRUE : null,
                "label", plain(label, 2000),
                "element", obj("type", "plain_text_input", "action_id", SlackIds.INPUT_ACTION,
                        "multiline", multiline ? Boolean.TRUE : null, "max_length", max,
                        "placeholder", placeholder == null ? null : plain(placeholder, 150)));
    }

    private static Map<String, Object> durationSelect(String label, List<AccessDuration> choices, AccessDuration initial,
                                                      boolean optional) {
        return obj("type", "input", "block_id", SlackIds.DURATION_BLOCK, "optional", optional ? Boolean.TRUE : null,
                "label", plain(label, 2000),
                "element", obj("type", "static_select", "action_id", SlackIds.INPUT_ACTION,
                        "options", choices.stream().map(Blocks::option).toList(),
                        "initial_option", choices.contains(initial) ? option(initial) : null));
    }
}
