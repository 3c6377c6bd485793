package dev.clearance.app.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Authenticates a presented bearer token against the configured tokens (constant-time digest comparison). */
final class ApiTokenAuthenticationProvider implements AuthenticationProvider {
    private final ApiTokens tokens;

    ApiTokenAuthenticationProvider(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Object secret = authentication.getCredentials();
        // NB: no token configured means no access, never open access
        ApiToken token = secret instanceof String s ? tokens.match(s).orElse(null) : null;
        if (token == null) {
            throw new BadCredentialsException("unknown token");
        }
        return ApiTokenAuthentication.of(token);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiTokenAuthentication.class.isAssignableFrom(authentication);
    }
}
