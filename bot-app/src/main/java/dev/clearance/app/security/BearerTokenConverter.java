package dev.clearance.app.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

import java.util.Collections;

/** Reads {@code Authorization: Bearer <token>}; no header means an anonymous call (answered 401 if it needs a token). */
final class BearerTokenConverter implements AuthenticationConverter {
    private static final String SCHEME = "Bearer ";

    @Override
    public Authentication convert(HttpServletRequest request) {
        var headers = Collections.list(request.getHeaders("Authorization"));
        if (headers.isEmpty()) {
            return null;
        }
        // NB: two Authorization headers could be read differently by a proxy and by us: refuse rather than pick one
        if (headers.size() > 1) {
            throw new BadCredentialsException("send one Authorization header");
        }
        String header = headers.get(0);
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new BadCredentialsException("send Authorization: Bearer <token>");
        }
        String secret = header.substring(SCHEME.length()).strip();
        if (secret.isEmpty()) {
            throw new BadCredentialsException("send Authorization: Bearer <token>");
        }
        return ApiTokenAuthentication.presented(secret);
    }
}
