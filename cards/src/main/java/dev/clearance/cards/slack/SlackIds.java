package dev.clearance.cards.slack;

/** Callback ids of Clearance's modals and the block/action ids of their inputs, shared with the Slack adapter. */
public final class SlackIds {
    public static final String JUSTIFY_MODAL = "clearance.justify.modal";
    public static final String DECIDE_MODAL = "clearance.decide.modal";
    public static final String REQUEST_MODAL = "clearance.request.modal";
    public static final String EXTEND_MODAL = "clearance.extend.modal";

    public static final String INPUT_ACTION = "value";
    public static final String JUSTIFICATION_BLOCK = "justification";
    public static final String DURATION_BLOCK = "duration";
    public static final String REASON_BLOCK = "reason";
    public static final String RESOURCE_BLOCK = "resource";
    public static final String ACCOUNT_BLOCK = "account";
    /** Resource and account inputs of the request form dispatch these when Enter is pressed: the policy is previewed. */
    public static final String REQUEST_RESOURCE_ACTION = "clearance.request.resource";
    public static final String REQUEST_ACCOUNT_ACTION = "clearance.request.account";

    private SlackIds() {
    }
}
