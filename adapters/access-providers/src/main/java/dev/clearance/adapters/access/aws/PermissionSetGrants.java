package dev.clearance.adapters.access.aws;

import dev.clearance.core.port.GrantSectionValidator;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A policy's {@code grant} as aws-identity-center reads it: {@code permission-set: ARN}, assigned on the request's
 * account, which must therefore be an AWS account id.
 */
public final class PermissionSetGrants implements GrantSectionValidator {
    @Override
    public Set<String> keys() {
        return Set.of(PermissionSets.ATTRIBUTE);
    }

    @Override
    public List<Problem> problems(Map<String, String> grant) {
        String arn = grant.get(PermissionSets.ATTRIBUTE);
        if (arn == null) {
            return List.of(new Problem(Optional.empty(),
                    "name what to grant: permission-set: arn:aws:sso:::permissionSet/ssoins-…/ps-…"));
        }
        return PermissionSets.arnProblem(arn).map(p -> List.of(new Problem(Optional.of(PermissionSets.ATTRIBUTE), p)))
                .orElse(List.of());
    }

    @Override
    public Optional<String> accountProblem(String account) {
        return PermissionSets.accountProblem(account);
    }
}
