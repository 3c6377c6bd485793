package dev.clearance.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Ends a web sign-in when it is too old, however busy the tab (the idle timeout alone never ends a busy one): at the
 * absolute lifetime after it began ({@code CLEARANCE_WEB_SESSION_LIFETIME}), and when the identity provider's ID token
 * expires. The person is then sent to sign in again: the identity provider decides afresh (someone disabled there is
 * refused; someone still signed in there comes straight back with a new ID token). Time is the injected clock.
 */
public final class WebSessionLifetimeFilter extends OncePerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(WebSessionLifetimeFilter.class);
    static final String SIGNED_IN_AT = WebSessionLifetimeFilter.class.getName() + ".signedInAt";
    private final Clock clock;
    private final Duration lifetime;

    public WebSessionLifetimeFilter(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        HttpSession session = request.getSession(false);
        if (a != null && a.getPrincipal() instanceof OidcUser user && session != null) {
            Instant now = clock.instant();
            Instant signedInAt = session.getAttribute(SIGNED_IN_AT) instanceof Instant t ? t : null;
            if (signedInAt == null) {
                signedInAt = now;
                session.setAttribute(SIGNED_IN_AT, now);
            }
            Instant idTokenExpires = user.getIdToken() == null ? null : user.getIdToken().getExpiresAt();
            // NB: a sign-in ends at its absolute lifetime and when its ID token expires, whichever comes first
            String why = !now.isBefore(signedInAt.plus(lifetime)) ? "its lifetime of " + lifetime + " is over"
                    : idTokenExpires != null && !now.isBefore(idTokenExpires) ? "the identity provider's ID token expired"
                    : null;
            if (why != null) {
                LOG.info("web sign-in of {} ended: {}; signing in again", user.getEmail(), why);
                session.invalidate();
                SecurityContextHolder.clearContext();
            }
        }
        chain.doFilter(request, response);
    }
}
