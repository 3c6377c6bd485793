package dev.clearance.app.api;

import dev.clearance.core.model.Origin;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The origin of a REST call: {@code api:<token name>}, the name Spring Security authenticated the bearer token as. */
final class ApiOrigin {
    private ApiOrigin() {
    }

    static Origin current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        // NB: the principal is the token's configured name, proven by the token itself; never a field of the body.
        return Origin.api(auth == null || auth.getName() == null || auth.getName().isBlank() ? "token" : auth.getName());
    }
}
