package dev.clearance.core.detect;

import dev.clearance.core.model.UserEmail;

import java.util.Optional;

/**
 * Who made a call, as AWS authenticated it (CloudTrail's {@code userIdentity}).
 *
 * @param kind         what sort of identity
 * @param person       for an IAM Identity Center session, the person's email as the identity store gives it
 * @param principalArn the identity's ARN (an IAM user, a role session), for the policy file's {@code identities} map
 * @param description  for logs and the audit trail: the session, user or role as CloudTrail names it
 */
public record Caller(Kind kind, Optional<UserEmail> person, String principalArn, String description) {
    public enum Kind {
        /** A role session of an IAM Identity Center permission set ({@code AWSReservedSSO_…}). */
        IDENTITY_CENTER,
        IAM_USER,
        /** A role session that is not Identity Center's. */
        ROLE,
        ROOT,
        OTHER
    }

    public Caller {
        principalArn = principalArn == null ? "" : principalArn;
        description = description == null ? "" : description;
    }
}
