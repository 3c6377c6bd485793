package dev.clearance.app.api;

import dev.clearance.app.security.ApiPrincipal;
import dev.clearance.core.model.Origin;

/** The origin of a REST call: {@code api:<token name>}, the name Spring Security authenticated the bearer token as. */
final class ApiOrigin {
    private ApiOrigin() {
    }

    static Origin current() {
        // NB: the principal is the token's configured name, proven by the token itself; never a field of the body.
        return Origin.api(ApiPrincipal.name());
    }
}
