package dev.clearance.cards;

import dev.clearance.core.view.RequestView;

/** The one-line state of a request, as every platform's cards show it. */
public final class Titles {
    private Titles() {
    }

    public static String of(RequestView v) {
        if (v.isExtension()) {
            return switch (v.status()) {
                case PENDING -> "Extension submitted, waiting for approvers";
                case APPROVED -> "Extension approved";
                case DENIED -> "Extension denied";
                case EXPIRED -> "Extension expired without a decision";
                case CANCELLED -> "Extension withdrawn";
                case ENDED -> "Extended access ended";
                default -> "Extension";
            };
        }
        return switch (v.status()) {
            case REQUESTED -> "Waiting for justification";
            case PENDING -> "Submitted, waiting for approvers";
            // An end was asked for (a revoke, a give-back) and the provider has not confirmed it yet.
            case APPROVED -> v.grantState() == dev.clearance.core.model.GrantState.REVOKING ? "Approved; access ending" : "Approved";
            case DENIED -> "Denied";
            case EXPIRED -> "Expired without a decision";
            case ABANDONED -> "Abandoned";
            case ABANDONED_EXPIRED -> "Closed: no justification in time";
            case CANCELLED -> "Withdrawn";
            case ENDED -> "Access ended";
        };
    }
}
