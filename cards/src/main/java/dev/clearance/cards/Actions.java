package dev.clearance.cards;

/**
 * Action ids (Slack) and verbs (Teams) shared by the renderers and the adapters that receive the clicks.
 * A click carries only the request id; everything else is re-read from the store.
 */
public final class Actions {
    public static final String PROVIDE_JUSTIFICATION = "clearance.justify";
    public static final String DECLINE_JUSTIFICATION = "clearance.abandon";
    public static final String APPROVE = "clearance.approve";
    public static final String DENY = "clearance.deny";
    /** The requester asks for more time on an active grant (Slack: opens a form; Teams: submits the notice's inputs). */
    public static final String EXTEND = "clearance.extend";
    /**
     * Teams: Universal Actions refresh of a card in a shared channel; each person listed in the card's
     * {@code refresh.userIds} gets the card as it applies to them (buttons for those who may decide now).
     */
    public static final String REFRESH = "clearance.refresh";
    /** Teams: the request form's submit verb. */
    public static final String SUBMIT_REQUEST = "clearance.request";

    private Actions() {
    }
}
