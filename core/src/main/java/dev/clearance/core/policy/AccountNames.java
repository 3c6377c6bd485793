package dev.clearance.core.policy;

import java.util.Optional;
import java.util.regex.Pattern;

/** What an account may be written as: the rule intake applies, and the policy file's loader checks declared accounts by. */
public final class AccountNames {
    /** Account ids, names and paths (AWS, GCP, Azure): letters, digits and . _ - : / @ + =, starting with a letter or digit. */
    private static final Pattern ACCOUNT = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:/@+=-]{0,127}$");

    private AccountNames() {
    }

    /** Why this is not an account intake accepts; empty if it is one. */
    public static Optional<String> problem(String account) {
        if (account != null && ACCOUNT.matcher(account).matches()) {
            return Optional.empty();
        }
        return Optional.of("an account is an id or name of at most 128 characters: letters, digits and . _ - : / @ + =, "
                + "starting with a letter or digit (no spaces, patterns or line breaks)");
    }
}
