package dev.clearance.cards.teams;

/** The content type, input ids and data keys of Clearance's Adaptive Cards, shared with the Teams adapter. */
public final class TeamsIds {
    public static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    public static final String INPUT_REASON = "reason";
    public static final String INPUT_DURATION = "duration";
    public static final String INPUT_JUSTIFICATION = "justification";
    public static final String INPUT_RESOURCE = "resource";
    public static final String INPUT_ACCOUNT = "account";
    public static final String DATA_REQUEST_ID = "requestId";

    private TeamsIds() {
    }
}
