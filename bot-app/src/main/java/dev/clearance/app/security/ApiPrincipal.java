package dev.clearance.app.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.Optional;

/** The API token the current call authenticated with, for the audit trail ({@code api:<name>}). */
public final class ApiPrincipal {
    private ApiPrincipal() {
    }

    /** The current call's token name, if it came through the API with a token. */
    public static Optional<String> current() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a instanceof ApiTokenAuthentication t && t.isAuthenticated() ? Optional.of(t.getName()) : Optional.empty();
    }

    /** Whether the current call's token carries this permission. */
    public static boolean has(ApiPermission permission) {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        String authority = permission.authority().getAuthority();
        return a instanceof ApiTokenAuthentication t && t.isAuthenticated()
                && t.getAuthorities().stream().anyMatch(g -> authority.equals(g.getAuthority()));
    }

    /** The token name of the current API call; the security chain admits no API call without one. */
    public static String name() {
        return current().orElseThrow(() -> new IllegalStateException("no API token authenticated this call"));
    }
}
