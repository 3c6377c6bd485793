package dev.clearance.app.matrix;

import java.util.Locale;

/**
 * Who tries an action, as declared in {@code matrix/clearance-matrix.yml}. Each persona is one person, known by the same
 * email everywhere: Slack user {@code U<NAME>} (FakeSlack's workspace), Teams user {@code 29:<name>} (FakeTeams), and
 * the web page's sign-in at mock-oauth2-server.
 */
enum Persona {
    /** files every request of the matrix; no role anywhere */
    REQUESTER("alice"),
    /** member of group security, the approvers of step 1 */
    STEP1_APPROVER("sam"),
    /** approver of org/prod, the request's scope: step 2 (scope-approvers) */
    STEP2_APPROVER("pat"),
    /** approver of org/dev, a sibling of the request's scope */
    OTHER_SCOPE_APPROVER("olga"),
    /** admin of org/prod, the request's scope */
    SCOPE_ADMIN("pia"),
    /** admin of org/dev, another subtree */
    OTHER_SUBTREE_ADMIN("sid"),
    /** admin of org, the root */
    ROOT_ADMIN("root"),
    /** declared nowhere in the policy file */
    OUTSIDER("zed");

    /** The second member of group security, who moves setups from step 1 to step 2; not a persona. */
    static final String SETUP_STEP1_APPROVER = "sue@example.com";

    final String name;

    Persona(String name) {
        this.name = name;
    }

    String email() {
        return name + "@example.com";
    }

    String slackId() {
        return "U" + name.toUpperCase(Locale.ROOT);
    }

    String teamsName() {
        return name;
    }
}
