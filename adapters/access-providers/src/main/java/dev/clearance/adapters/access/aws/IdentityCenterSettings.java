package dev.clearance.adapters.access.aws;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * @param instanceArn       {@code CLEARANCE_AWS_INSTANCE_ARN}; when empty, the one instance ListInstances returns
 * @param identityStoreId   {@code CLEARANCE_AWS_IDENTITY_STORE_ID}; when empty, that instance's identity store
 * @param userAttributePath the unique user attribute equal to the requester's email: {@code userName} or {@code emails.value}
 * @param pollInterval      the wait between two status polls of an assignment creation or deletion
 * @param polls             polls in one attempt; past them the attempt fails and the next attempt polls on
 */
public record IdentityCenterSettings(Optional<String> instanceArn, Optional<String> identityStoreId,
                                     String userAttributePath, Duration pollInterval, int polls) {
    public static final Set<String> USER_ATTRIBUTES = Set.of("userName", "emails.value");

    public IdentityCenterSettings {
        instanceArn = instanceArn.filter(s -> !s.isBlank()).map(String::strip);
        identityStoreId = identityStoreId.filter(s -> !s.isBlank()).map(String::strip);
        if (!USER_ATTRIBUTES.contains(userAttributePath)) {
            throw new IllegalArgumentException("clearance.access-provider.aws.user-attribute (CLEARANCE_AWS_USER_ATTRIBUTE) is '"
                    + userAttributePath + "': use userName or emails.value");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("clearance.access-provider.aws.poll-interval must be positive");
        }
        if (polls < 1) {
            throw new IllegalArgumentException("clearance.access-provider.aws.polls must be at least 1");
        }
    }

    public static IdentityCenterSettings defaults() {
        return new IdentityCenterSettings(Optional.empty(), Optional.empty(), "userName", Duration.ofSeconds(1), 30);
    }
}
