package dev.clearance.core.policy;

import dev.clearance.core.model.UserEmail;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The policy file's {@code detection} section: which denied AWS calls open a request, which send the disabled-service
 * notice, which error codes count as a denial, and how soon after a denial a new attempt may open a new request.
 *
 * @param protectedActions       IAM action globs ({@code s3:Delete*}, {@code iam:*}): a denied attempt opens a request
 * @param disabledServices       service prefixes ({@code sagemaker}): a denied attempt sends the disabled-service notice
 * @param denialCodes            error code globs that count as a denial
 * @param newRequestAfterDenial  after a denial of the same access, attempts within this open nothing new
 * @param identities             principal ARNs that are not Identity Center sessions (IAM users, roles), mapped to people
 */
public record Detection(List<GlobPattern> protectedActions, Set<String> disabledServices, List<GlobPattern> denialCodes,
                        Duration newRequestAfterDenial, Map<String, UserEmail> identities) {
    public static final List<String> DEFAULT_DENIAL_CODES = List.of("AccessDenied*", "*UnauthorizedOperation");
    public static final Duration DEFAULT_NEW_REQUEST_AFTER_DENIAL = Duration.ofHours(1);

    public Detection {
        protectedActions = List.copyOf(protectedActions);
        disabledServices = disabledServices.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        denialCodes = List.copyOf(denialCodes);
        identities = Map.copyOf(identities);
    }

    /** Nothing protected, nothing disabled: every attempt is ignored (and counted). */
    public static Detection none() {
        return new Detection(List.of(), Set.of(), DEFAULT_DENIAL_CODES.stream().map(GlobPattern::compile).toList(),
                DEFAULT_NEW_REQUEST_AFTER_DENIAL, Map.of());
    }

    public boolean isDenial(String errorCode) {
        return errorCode != null && !errorCode.isBlank() && denialCodes.stream().anyMatch(g -> g.matches(errorCode));
    }

    public boolean isProtected(String action) {
        return protectedActions.stream().anyMatch(g -> g.matches(action));
    }

    public boolean isDisabled(String service) {
        return disabledServices.contains(service.toLowerCase(Locale.ROOT));
    }
}
