package dev.clearance.app.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

import java.util.List;

/**
 * A bearer token on an API call: first as presented (unauthenticated, the secret as credentials), then, once
 * {@link ApiTokenAuthenticationProvider} found it, as the named token with its permissions as authorities.
 * {@link #getName()} is the token's name.
 */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {
    private final String name;
    private final ApiToken token;
    private String secret;

    private ApiTokenAuthentication(String secret) {
        super(List.of());
        this.name = "";
        this.token = null;
        this.secret = secret;
        setAuthenticated(false);
    }

    private ApiTokenAuthentication(ApiToken token) {
        super(token.permissions().stream().map(ApiPermission::authority).toList());
        this.name = token.name();
        this.token = token;
        super.setAuthenticated(true);
    }

    static ApiTokenAuthentication presented(String secret) {
        return new ApiTokenAuthentication(secret);
    }

    static ApiTokenAuthentication of(ApiToken token) {
        return new ApiTokenAuthentication(token);
    }

    /** The token that authenticated this call; null while only presented. */
    public ApiToken token() {
        return token;
    }

    @Override
    public Object getCredentials() {
        return secret;
    }

    @Override
    public Object getPrincipal() {
        return name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("only ApiTokenAuthenticationProvider authenticates a token");
        }
        super.setAuthenticated(false);
    }

    @Override
    public void eraseCredentials() {
        secret = null;
        super.eraseCredentials();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiTokenAuthentication other && super.equals(other) && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + name.hashCode();
    }
}
