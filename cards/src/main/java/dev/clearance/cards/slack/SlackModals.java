package dev.clearance.cards.slack;

import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.view.PolicyPreview;
import dev.clearance.core.view.RequestView;

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

    /** Extend: how much longer and why; the grant's policy decides, like any request. */
    public static Map<String, Object> extension(RequestView v) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(section("*" + esc(v.resource()) + "* in account *" + esc(v.account()) + "* ends at *"
                + v.expiresAt().map(dev.clearance.cards.Texts::time).orElse("?") + "*. Policy *" + esc(v.policy())
                + "* decides; until then your access ends as planned."));
        List<AccessDuration> choices = dev.clearance.cards.Texts.extensionChoices(v);
        blocks.add(durationSelect("How much longer?", choices, choices.isEmpty() ? null : choices.get(0), false));
        blocks.add(textInput(SlackIds.JUSTIFICATION_BLOCK, "Why do you need more time?", true, JUSTIFICATION_MAX,
                "Ticket or incident, and what is left to do", false));
        return modal(SlackIds.EXTEND_MODAL, v.id(), "Extend access", "Ask", blocks);
    }

    /** The /access request form before anything is typed. */
    public static Map<String, Object> request() {
        return request(null, null, null, null);
    }

    /**
     * The /access request form. Pressing Enter in the resource or account field resolves the policy, and the form is
     * redrawn with it ({@code preview}: the policy, the scope the account belongs to, who approves) and with only the
     * durations it allows; {@code problem} says why it could not. There is no scope to choose: it follows from the account.
     */
    public static Map<String, Object> request(String resource, String account, PolicyPreview preview, String problem) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(dispatchingInput(SlackIds.RESOURCE_BLOCK, SlackIds.REQUEST_RESOURCE_ACTION, "Resource (e.g. s3:DeleteBucket)", 256, resource));
        blocks.add(dispatchingInput(SlackIds.ACCOUNT_BLOCK, SlackIds.REQUEST_ACCOUNT_ACTION, "Account", 128, account));
        // NB: "until revoked" is offered only once the policy is known to allow it.
        List<AccessDuration> durations = preview == null ? AccessDuration.MENU_WITH_END
                : AccessDuration.menuUpTo(preview.maxDuration());
        AccessDuration initial = durations.contains(AccessDuration.parse("1h")) ? AccessDuration.parse("1h") : durations.get(0);
        blocks.add(durationSelect("For how long?", durations, initial, false));
        blocks.add(textInput(SlackIds.JUSTIFICATION_BLOCK, "Why do you need this access?", true, JUSTIFICATION_MAX,
                "Ticket or incident, and what you will do", false));
        if (preview != null) {
            StringBuilder sb = new StringBuilder("*Policy " + esc(preview.policy()) + "* in scope `" + esc(preview.scope())
                    + "`: at most " + preview.maxDuration().describe()
                    + (preview.justificationRequired() ? "" : "; you may approve it yourself"));
            for (int i = 0; i < preview.steps().size(); i++) {
                PolicyPreview.StepPreview step = preview.steps().get(i);
                sb.append("\n").append(i + 1).append(". ").append(esc(step.name())).append(": ").append(step.required())
                        .append(" of ").append(esc(String.join(", ", step.approvers())));
            }
            blocks.add(Blocks.context(sb.toString()));
        } else {
            blocks.add(Blocks.context(problem != null ? ":warning: " + esc(problem)
                    : "Press Enter in the resource or account field to see the policy that applies, the account's scope "
                    + "and who approves."));
        }
        return modal(SlackIds.REQUEST_MODAL, "", "Request access", "Request", blocks);
    }

    private static Map<String, Object> dispatchingInput(String blockId, String actionId, String label, int max, String value) {
        return obj("type", "input", "block_id", blockId, "dispatch_action", true, "label", plain(label, 2000),
                "element", obj("type", "plain_text_input", "action_id", actionId, "max_length", max,
                        "initial_value", value == null || value.isBlank() ? null : dev.clearance.cards.Texts.truncate(value, max),
                        "dispatch_action_config", obj("trigger_actions_on", List.of("on_enter_pressed"))));
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
