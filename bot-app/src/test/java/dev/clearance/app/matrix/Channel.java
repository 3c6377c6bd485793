package dev.clearance.app.matrix;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.clearance.app.matrix.Action.*;

/**
 * The table of channel capabilities: which actions each channel offers a person, and why the others are not tried
 * there. {@code auditChannel} is what an allowed action's audit event must record as its channel.
 */
enum Channel {
    /** JSON with a bearer token; the person is the body's actor or approver. */
    REST("api", EnumSet.complementOf(EnumSet.of(SEE)), Map.of(
            SEE, "GET /api/v1/requests/{id} names no person: the token holder reads every request (with scoped tokens, "
                    + "the `read` permission decides; see AuthorizationMatrixTest.readingThroughRestNeedsTheReadPermission)")),
    /** Signed payloads through the Bolt app: /access show|cancel|revoke, the buttons and the modals they open. */
    SLACK("slack", EnumSet.allOf(Action.class), Map.of()),
    /** Activities at /api/messages: show, cancel and revoke as bot commands, the rest as Action.Execute invokes. */
    TEAMS("teams", EnumSet.allOf(Action.class), Map.of()),
    /** The web page, signed in through OpenID Connect, forms with a CSRF token. */
    WEB("web", EnumSet.of(SEE, JUSTIFY, APPROVE_AT_STEP1, DENY_AT_STEP1, APPROVE_AT_STEP2, DENY_AT_STEP2, CANCEL_PENDING,
            CANCEL_APPROVED, REVOKE), Map.of(
            ABANDON, "the web page has no \"No thanks\": a requester abandons in chat or lets the justification window close",
            EXTEND, "the web page has no Extend form: extensions are asked for in Slack, Teams or the REST API"));

    /**
     * What an allowed action's audit event must record as its principal (what the channel proved), as a prefix; null
     * where the test asserts it itself (REST: the name of the token the action was tried with).
     */
    String principalOf(Persona p) {
        return switch (this) {
            case REST -> null;
            case SLACK -> p.slackId(); // user id, then "@" and the workspace of the signed payload
            case TEAMS -> "aad-" + p.teamsName(); // the Entra object id FakeTeams gives the person
            case WEB -> p.name; // the identity provider's subject (mock-oauth2-server signs people in as their name)
        };
    }

    final String auditChannel;
    final Set<Action> offers;
    final Map<Action, String> missing;

    Channel(String auditChannel, Set<Action> offers, Map<Action, String> missing) {
        this.auditChannel = auditChannel;
        this.offers = offers;
        this.missing = missing;
        for (Action a : Action.values()) {
            if (offers.contains(a) == missing.containsKey(a)) {
                throw new IllegalStateException(this + " must either offer " + a + " or say why not");
            }
        }
    }
}
