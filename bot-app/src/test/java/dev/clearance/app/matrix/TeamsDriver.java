package dev.clearance.app.matrix;

import dev.clearance.app.teams.TeamsChatProbe;
import dev.clearance.cards.Actions;

import java.util.Map;

/**
 * Teams, as a person uses it: the bot commands {@code show}, {@code cancel} and {@code revoke} in the personal chat, and
 * Action.Execute invokes with the card's inputs for the rest. Allowed: the command's answer, or a card without a
 * warning. Refused: a reply or card with a "⚠" notice, and (for a card) without the button that was just refused.
 */
final class TeamsDriver implements ChannelDriver {
    private static final String WARNING = "⚠";
    private final TeamsChatProbe teams;

    TeamsDriver(TeamsChatProbe teams) {
        this.teams = teams;
    }

    @Override
    public Channel channel() {
        return Channel.TEAMS;
    }

    @Override
    public Answer attempt(Action action, Persona persona, String id) {
        String who = persona.teamsName();
        return switch (action) {
            case SEE -> say(who, "show " + id, "Audit trail");
            case CANCEL_PENDING -> say(who, "cancel " + id, "withdrawn");
            case CANCEL_APPROVED -> say(who, "cancel " + id, "Giving back your access");
            case REVOKE -> say(who, "revoke " + id + " incident closed", "Revoking access");
            case JUSTIFY -> invoke(who, Actions.PROVIDE_JUSTIFICATION,
                    Map.of("requestId", id, "justification", "INC-4711: the matrix", "duration", "1h"));
            case ABANDON -> invoke(who, Actions.DECLINE_JUSTIFICATION, Map.of("requestId", id));
            case APPROVE_AT_STEP1, APPROVE_AT_STEP2 -> invoke(who, Actions.APPROVE,
                    Map.of("requestId", id, "reason", "checked", "duration", "1h"));
            case DENY_AT_STEP1, DENY_AT_STEP2 -> invoke(who, Actions.DENY, Map.of("requestId", id, "reason", "not needed"));
            case EXTEND -> invoke(who, Actions.EXTEND,
                    Map.of("requestId", id, "duration", "1h", "justification", "INC-4711 needs longer"));
        };
    }

    private Answer say(String who, String text, String success) {
        TeamsChatProbe.Reply r = teams.say(who, text);
        String evidence = "\"" + text + "\" -> HTTP " + r.status() + " " + r.card();
        if (r.status() / 100 != 2 || r.card() == null) {
            throw new AssertionError("no reply in the chat: " + evidence);
        }
        if (r.card().contains(WARNING)) {
            return Answer.refused(evidence);
        }
        if (r.card().contains(success)) {
            return Answer.allowed(evidence);
        }
        throw new AssertionError("neither \"" + success + "\" nor a " + WARNING + " refusal: " + evidence);
    }

    private Answer invoke(String who, String verb, Map<String, String> data) {
        TeamsChatProbe.Reply r = teams.invoke(who, verb, data);
        String evidence = verb + " " + data + " -> HTTP " + r.status() + " " + r.card();
        if (r.status() / 100 != 2 || r.card() == null || r.card().isBlank() || "null".equals(r.card())) {
            throw new AssertionError("no card in the invoke response: " + evidence);
        }
        if (!r.card().contains(WARNING)) {
            return Answer.allowed(evidence);
        }
        // NB: a refused card never offers again what was just refused (what is offered must be what is allowed)
        if (r.card().contains("\"verb\":\"" + verb + "\"")) {
            return Answer.refused(evidence).withMismatch("the refusal's card offers " + verb + " again");
        }
        return Answer.refused(evidence);
    }
}
