package dev.clearance.adapters.access.aws;

import java.util.Optional;
import java.util.regex.Pattern;

/** The formats IAM Identity Center accepts, checked when the policy file is read so that mistakes fail at startup. */
public final class PermissionSets {
    /** The policy's {@code grant} attribute naming the permission set to assign. */
    public static final String ATTRIBUTE = "permission-set";
    // as in the SSO Admin API reference (PermissionSetArn)
    private static final Pattern ARN = Pattern.compile(
            "arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::permissionSet/(sso)?ins-[a-zA-Z0-9-.]{16}/ps-[a-zA-Z0-9-./]{16}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private PermissionSets() {
    }

    public static Optional<String> arnProblem(String arn) {
        if (arn != null && ARN.matcher(arn).matches()) {
            return Optional.empty();
        }
        return Optional.of("'" + arn + "' is not a permission set ARN (arn:aws:sso:::permissionSet/ssoins-<16>/ps-<16>)");
    }

    public static Optional<String> accountProblem(String account) {
        if (account != null && ACCOUNT.matcher(account).matches()) {
            return Optional.empty();
        }
        return Optional.of("'" + account + "' is not an AWS account id (12 digits): a permission set is assigned on an account");
    }
}
