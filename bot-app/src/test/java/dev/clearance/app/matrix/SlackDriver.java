package dev.clearance.app.matrix;

import dev.clearance.app.slack.SlackProbe;
import dev.clearance.cards.Actions;
import dev.clearance.cards.slack.SlackIds;

import java.util.Map;

/**
 * Slack, as a person uses it: {@code /access show|cancel|revoke}, and for the rest the button and then the modal it
 * opens. The modal's submission is tried even when the button refused (a replayed or crafted submission must be refused
 * on its own); the button and the submission must agree. Allowed: the command's answer, the form opened and the
 * submission acked empty. Refused: an ephemeral ":warning:" answer, a ":warning:" reply to the click, and the
 * submission answered with inline errors.
 */
final class SlackDriver implements ChannelDriver {
    private final SlackProbe slack;

    SlackDriver(SlackProbe slack) {
        this.slack = slack;
    }

    @Override
    public Channel channel() {
        return Channel.SLACK;
    }

    @Override
    public Answer attempt(Action action, Persona persona, String id) {
        String user = persona.slackId();
        if (!SlackProbe.knows(user)) {
            throw new IllegalStateException(persona + " (" + user + ") is not in FakeSlack's workspace");
        }
        return switch (action) {
            case SEE -> command(user, "show " + id, "Audit trail");
            case CANCEL_PENDING -> command(user, "cancel " + id, "withdrawn");
            case CANCEL_APPROVED -> command(user, "cancel " + id, "Giving back your access");
            case REVOKE -> command(user, "revoke " + id + " incident closed", "Revoking access");
            case ABANDON -> click(user, Actions.DECLINE_JUSTIFICATION, id, null);
            case JUSTIFY -> clickThenSubmit(user, Actions.PROVIDE_JUSTIFICATION, id, SlackIds.JUSTIFY_MODAL, id,
                    Map.of(SlackIds.JUSTIFICATION_BLOCK, "INC-4711: the matrix"), Map.of(SlackIds.DURATION_BLOCK, "1h"));
            case APPROVE_AT_STEP1, APPROVE_AT_STEP2 -> clickThenSubmit(user, Actions.APPROVE, id, SlackIds.DECIDE_MODAL,
                    "approve:" + id, Map.of(SlackIds.REASON_BLOCK, "checked"), Map.of(SlackIds.DURATION_BLOCK, "1h"));
            case DENY_AT_STEP1, DENY_AT_STEP2 -> clickThenSubmit(user, Actions.DENY, id, SlackIds.DECIDE_MODAL,
                    "deny:" + id, Map.of(SlackIds.REASON_BLOCK, "not needed"), Map.of());
            case EXTEND -> clickThenSubmit(user, Actions.EXTEND, id, SlackIds.EXTEND_MODAL, id,
                    Map.of(SlackIds.JUSTIFICATION_BLOCK, "INC-4711 needs longer"), Map.of(SlackIds.DURATION_BLOCK, "1h"));
        };
    }

    private Answer command(String user, String text, String success) {
        SlackProbe.Reply r = slack.command(user, text);
        String evidence = "/access " + text + " -> HTTP " + r.status() + " " + r.body();
        if (r.status() != 200 || !r.body().contains("\"response_type\":\"ephemeral\"")) {
            throw new AssertionError("not an ephemeral answer: " + evidence);
        }
        if (r.body().contains(":warning:")) {
            return Answer.refused(evidence);
        }
        if (r.body().contains(success)) {
            return Answer.allowed(evidence);
        }
        throw new AssertionError("neither \"" + success + "\" nor a :warning: refusal: " + evidence);
    }

    /** A click that acts at once (abandon): refused if the clicker was told why, allowed if nothing was said. */
    private Answer click(String user, String actionId, String id, String modal) {
        int replies = slack.repliesTo(user).size();
        int views = slack.viewsOpened().size();
        SlackProbe.Reply r = slack.click(user, actionId, id);
        if (r.status() != 200) {
            throw new AssertionError("click " + actionId + " answered HTTP " + r.status() + " " + r.body());
        }
        var told = slack.repliesTo(user).subList(replies, slack.repliesTo(user).size());
        var opened = slack.viewsOpened().subList(views, slack.viewsOpened().size());
        String evidence = "click " + actionId + " -> replies " + told + ", views opened " + opened.size();
        if (!told.isEmpty()) {
            if (told.size() != 1 || !told.get(0).startsWith(":warning:") || !opened.isEmpty()) {
                throw new AssertionError("a refusal is one :warning: reply and no form: " + evidence);
            }
            return Answer.refused(evidence);
        }
        if (modal != null && (opened.size() != 1 || !opened.get(0).contains(modal))) {
            throw new AssertionError("neither a refusal nor the form " + modal + ": " + evidence);
        }
        return Answer.allowed(evidence);
    }

    private Answer clickThenSubmit(String user, String actionId, String id, String modal, String metadata,
                                   Map<String, String> texts, Map<String, String> selects) {
        Answer button = click(user, actionId, id, modal);
        SlackProbe.Reply r = slack.submit(user, modal, metadata, texts, selects);
        String evidence = button.evidence() + "; submit " + modal + " -> HTTP " + r.status() + " " + r.body();
        if (r.status() != 200) {
            throw new AssertionError("the submission was not acked: " + evidence);
        }
        Answer submission;
        if (r.body().isEmpty()) {
            submission = Answer.allowed(evidence);
        } else if (r.body().contains("\"response_action\":\"errors\"")) {
            submission = Answer.refused(evidence);
        } else {
            throw new AssertionError("neither an empty ack nor inline errors: " + evidence);
        }
        if (button.allowed() != submission.allowed()) {
            return submission.withMismatch("the button " + (button.allowed() ? "opened its form" : "was refused")
                    + " but the submission was " + (submission.allowed() ? "allowed" : "refused"));
        }
        return submission;
    }
}
