package dev.clearance.app.security;

import java.util.Set;

/**
 * One configured API token: its name (the principal recorded in the audit trail as {@code api:<name>}), what it may
 * do, and the SHA-256 digest of its secret (the secret itself is not kept).
 *
 * @param bare a token configured without name and permissions (the old format): it may do everything
 */
public record ApiToken(String name, Set<ApiPermission> permissions, byte[] digest, boolean bare) {
    public ApiToken {
        permissions = Set.copyOf(permissions);
    }

    @Override
    public String toString() {
        // NB: never the digest, so no log line can carry anything derived from a secret
        return "ApiToken[" + name + " " + permissions + "]";
    }
}
