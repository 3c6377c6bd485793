package dev.clearance.app.matrix;

/**
 * What a persona tries, each on a request in the state where the action makes sense, and what the request looks like
 * once the action was allowed. Every state is reached through the REST API (see {@link Setup}).
 */
enum Action {
    SEE(State.PENDING_STEP1, null),
    JUSTIFY(State.REQUESTED, "PENDING"),
    ABANDON(State.REQUESTED, "ABANDONED"),
    APPROVE_AT_STEP1(State.PENDING_STEP1, "PENDING"),
    DENY_AT_STEP1(State.PENDING_STEP1, "DENIED"),
    APPROVE_AT_STEP2(State.PENDING_STEP2, "APPROVED"),
    DENY_AT_STEP2(State.PENDING_STEP2, "DENIED"),
    CANCEL_PENDING(State.PENDING_STEP1, "CANCELLED"),
    /** the requester gives the access back early: the request stays APPROVED while its grant is revoked */
    CANCEL_APPROVED(State.APPROVED_ACTIVE, "APPROVED"),
    REVOKE(State.APPROVED_ACTIVE, "APPROVED"),
    /** creates an extension request and notes it on the original, which stays APPROVED */
    EXTEND(State.APPROVED_ACTIVE, "APPROVED");

    /** The states a request is brought to before a cell runs. */
    enum State {
        /** filed without a justification */
        REQUESTED,
        /** justified (duration 1h), waiting for step 1 */
        PENDING_STEP1,
        /** step 1 approved by the other security member, waiting for step 2 */
        PENDING_STEP2,
        /** both steps approved, the grant ACTIVE with an end (the "none" provider grants at once) */
        APPROVED_ACTIVE
    }

    final State on;
    /** the stored status after the action was allowed; null for a read */
    final String statusAfter;

    Action(State on, String statusAfter) {
        this.on = on;
        this.statusAfter = statusAfter;
    }

    boolean changes() {
        return statusAfter != null;
    }
}
