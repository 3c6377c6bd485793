package dev.clearance.app.matrix;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static dev.clearance.app.matrix.Action.*;

/**
 * THE table of who may do what, written once from the documented rules, never computed from production code:
 * README (Features: separation of duties, approver tree; REST API table: cancel is the requester's, revoke an admin's,
 * extend the requester's), {@code DecisionRules.refusal} (a PENDING request; not the requester under
 * {@code self-approval: forbidden}; eligible for the current step: the step's approvers, for scope-approvers those of
 * the request's scope and above, and the admins of the scope and above), {@code AccessRequestService} (justify and
 * abandon: the requester, on REQUESTED; cancel: the requester; revoke: an admin of the scope or above; extend: the
 * requester, on an active grant) and {@code RequestQueries.canSee} (the requester, and whoever is eligible for one of
 * the steps, which includes the admins of the scope and above).
 * <p>
 * When the rules change (for example if admins may cancel), change the row here, and only here.
 */
final class Expected {
    private static final boolean Y = true;
    private static final boolean N = false;

    private static final Map<Action, boolean[]> ALLOWED = new EnumMap<>(Action.class);

    static {
        //                          REQUESTER  STEP1_APPR  STEP2_APPR  OTHER_SCOPE_APPR  SCOPE_ADMIN  OTHER_SUBTREE_ADMIN  ROOT_ADMIN  OUTSIDER
        // see: the requester, anyone eligible for a step (admins of the scope and above included); nobody else
        row(SEE,                    Y,         Y,          Y,          N,                Y,           N,                   Y,          N);
        // justify / abandon: the requester only
        row(JUSTIFY,                Y,         N,          N,          N,                N,           N,                   N,          N);
        row(ABANDON,                Y,         N,          N,          N,                N,           N,                   N,          N);
        // step 1 (group security): its members and the admins; never the requester (self-approval forbidden)
        row(APPROVE_AT_STEP1,       N,         Y,          N,          N,                Y,           N,                   Y,          N);
        row(DENY_AT_STEP1,          N,         Y,          N,          N,                Y,           N,                   Y,          N);
        // step 2 (scope-approvers of org/prod and above): pat and the admins; a step-1 approver is not eligible any more
        row(APPROVE_AT_STEP2,       N,         N,          Y,          N,                Y,           N,                   Y,          N);
        row(DENY_AT_STEP2,          N,         N,          Y,          N,                Y,           N,                   Y,          N);
        // cancel (withdraw, or give the access back): the requester only; admins revoke instead
        row(CANCEL_PENDING,         Y,         N,          N,          N,                N,           N,                   N,          N);
        row(CANCEL_APPROVED,        Y,         N,          N,          N,                N,           N,                   N,          N);
        // revoke: an admin of the request's scope or above; not the requester, not an approver, not another subtree's admin
        row(REVOKE,                 N,         N,          N,          N,                Y,           N,                   Y,          N);
        // extend: only the person who holds the access
        row(EXTEND,                 Y,         N,          N,          N,                N,           N,                   N,          N);
    }

    /**
     * Cells that fail on today's code because the code is wrong (a real authorization bug), as "CHANNEL ACTION PERSONA"
     * with why. Their expectation stays as the rules say; the test reports them as aborted ("KNOWN FAILURE") instead of
     * failing, and fails if one starts to pass, so that it is taken off this list.
     */
    static final Map<String, String> KNOWN_FAILURES = knownFailures();

    private static Map<String, String> knownFailures() {
        Map<String, String> known = new java.util.TreeMap<>();
        // None today. A cell whose expectation is right but the code is not goes here, with why; a listed cell that
        // starts passing fails the test, so the list cannot go stale.
        return java.util.Collections.unmodifiableMap(known);
    }

    private Expected() {
    }

    private static void row(Action action, boolean... byPersona) {
        if (byPersona.length != Persona.values().length) {
            throw new IllegalStateException("row " + action + " has " + byPersona.length + " columns");
        }
        ALLOWED.put(action, byPersona);
    }

    static boolean allowed(Action action, Persona persona) {
        return ALLOWED.get(action)[persona.ordinal()];
    }

    static List<Persona> allowedFor(Action action) {
        return java.util.Arrays.stream(Persona.values()).filter(p -> allowed(action, p)).toList();
    }

    static String key(Channel channel, Action action, Persona persona) {
        return channel + " " + action + " " + persona;
    }
}
