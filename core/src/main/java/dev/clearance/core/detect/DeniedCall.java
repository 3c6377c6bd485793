package dev.clearance.core.detect;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One AWS API call, as its CloudTrail event tells it: who made it, the IAM action, the account and region, the error
 * it got. Built by the CloudTrail adapter from the event; the detector decides what it means.
 *
 * @param eventId     CloudTrail's {@code eventID}: unique per call, the idempotency key of whatever the call causes
 * @param caller      who made the call, as AWS authenticated it
 * @param action      the IAM action ({@code s3:DeleteBucket}), from the denial message or the event source and name
 * @param resourceArn the denied resource, when the error message names one
 * @param errorCode   empty when the call succeeded
 */
public record DeniedCall(String eventId, Instant eventTime, Caller caller, String action, String account, String region,
                         Optional<String> resourceArn, Optional<String> errorCode) {
    public DeniedCall {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(account, "account");
        region = region == null ? "" : region;
    }

    /** The IAM service prefix of the action ({@code s3} of {@code s3:DeleteBucket}). */
    public String service() {
        int colon = action.indexOf(':');
        return colon < 0 ? action : action.substring(0, colon);
    }
}
