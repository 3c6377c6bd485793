package dev.clearance.app.security;

import dev.clearance.app.config.ClearanceProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.clearance.app.security.ApiPermission.ADMIN;
import static dev.clearance.app.security.ApiPermission.DECIDE;
import static dev.clearance.app.security.ApiPermission.INTAKE;
import static dev.clearance.app.security.ApiPermission.METRICS;
import static dev.clearance.app.security.ApiPermission.READ;

/**
 * Who may call the machine endpoints: the REST API ({@code /api/v1}) and the actuator with a named API token whose
 * permissions cover the call, the health probes by anyone. Teams ({@code POST /api/messages}) has its own chain, ahead
 * of this one, that checks its Bot Framework token ({@code TeamsWiring.teamsRequests}); with Teams off this chain
 * refuses it like any call no rule names. The paths are matched as Spring MVC routes them (decoded, one segment at a time),
 * after Spring Security's {@code StrictHttpFirewall} refused every ambiguous spelling.
 */
@Configuration(proxyBeanMethods = false)
public class ApiSecurityConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ApiSecurityConfiguration.class);
    /** The permission the matched rule asked for, for the 403's detail. */
    static final String REQUIRED = ApiSecurityConfiguration.class.getName() + ".required";

    @Bean
    ApiTokens apiTokens(ClearanceProperties properties) {
        return load(properties.api());
    }

    /** Reads the tokens from the environment and the file, and says at startup what each may do (never a secret). */
    static ApiTokens load(ClearanceProperties.Api api) {
        String file = null;
        if (api.tokensFile() != null && !api.tokensFile().isBlank()) {
            try {
                file = Files.readString(Path.of(api.tokensFile().strip()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(ApiTokens.FILE + ": cannot read " + api.tokensFile().strip() + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        ApiTokens tokens = ApiTokens.parse(api.tokens(), file);
        if (tokens.all().isEmpty()) {
            LOG.warn("no API token configured (CLEARANCE_API_TOKENS): /api/v1 and /actuator/prometheus answer 401 to every call");
        }
        for (ApiToken t : tokens.all()) {
            if (t.bare()) {
                LOG.warn("API token {} is a bare token (no name:permissions: before it in CLEARANCE_API_TOKENS): it is "
                        + "all-powerful, it may create, approve and revoke any request; give it a name and only the "
                        + "permissions it needs, e.g. detector:intake:<secret>", t.name());
            } else {
                LOG.info("API token {} may: {}", t.name(), t.permissions().stream().map(ApiPermission::word).sorted()
                        .collect(Collectors.joining(", ")));
            }
        }
        if (!tokens.weak().isEmpty()) {
            LOG.warn("API token(s) {} are shorter than 16 characters: fine for a trial, too weak for production", tokens.weak());
        }
        return tokens;
    }

    @Bean
    @Order(1)
    SecurityFilterChain machines(HttpSecurity http, ApiTokens tokens) throws Exception {
        AuthenticationEntryPoint entryPoint = ApiSecurityConfiguration::unauthorized;
        AuthenticationFilter bearer = new AuthenticationFilter(new ProviderManager(new ApiTokenAuthenticationProvider(tokens)),
                new BearerTokenConverter());
        bearer.setSuccessHandler((request, response, authentication) -> { }); // carry on to the call, no redirect
        bearer.setFailureHandler(new AuthenticationEntryPointFailureHandler(entryPoint));
        http.securityMatcher("/api/**", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**")
                .addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        // NB: only the probes are public; metrics and info need a token
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/prometheus").access(needs(METRICS))
                        .requestMatchers("/actuator/**").authenticated()
                        .requestMatchers(HttpMethod.POST, "/api/v1/requests", "/api/v1/notifications/**").access(needs(INTAKE))
                        .requestMatchers(HttpMethod.GET, "/api/v1/**").access(needs(READ))
                        .requestMatchers(HttpMethod.POST, "/api/v1/requests/*/justification", "/api/v1/requests/*/abandon",
                                "/api/v1/requests/*/decisions", "/api/v1/requests/*/cancel", "/api/v1/requests/*/extend")
                        .access(needs(DECIDE))
                        .requestMatchers(HttpMethod.POST, "/api/v1/requests/*/revoke").access(needs(ADMIN))
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**").access(needs(READ))
                        // NB: a call no rule names is refused, whatever the token
                        .anyRequest().denyAll())
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(forbidden()))
                // NB: every call authenticates by its header, never by a cookie, so a forged cross-site request carries
                // nothing that would let it act
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable());
        return http.build();
    }

    /** Allowed when the token carries {@code permission}; remembers the permission for the 403's detail. */
    static AuthorizationManager<RequestAuthorizationContext> needs(ApiPermission permission) {
        String authority = permission.authority().getAuthority();
        return (authentication, context) -> {
            context.getRequest().setAttribute(REQUIRED, permission);
            Authentication a = authentication.get();
            return new AuthorizationDecision(a instanceof ApiTokenAuthentication && a.isAuthenticated()
                    && a.getAuthorities().stream().anyMatch(g -> authority.equals(g.getAuthority())));
        };
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setHeader("WWW-Authenticate", e instanceof BadCredentialsException ? "Bearer error=\"invalid_token\"" : "Bearer");
        Problems.write(request, response, HttpStatus.UNAUTHORIZED,
                "send Authorization: Bearer <token>, with a token from CLEARANCE_API_TOKENS", Map.of());
    }

    private static AccessDeniedHandler forbidden() {
        return (request, response, e) -> {
            String token = ApiPrincipal.current().orElse("?");
            if (request.getAttribute(REQUIRED) instanceof ApiPermission p) {
                Problems.write(request, response, HttpStatus.FORBIDDEN, "the API token " + token + " lacks the permission '"
                        + p.word() + "' that " + request.getMethod() + " " + request.getRequestURI() + " needs; nothing "
                        + "was changed", Map.of("permission", p.word()));
            } else {
                Problems.write(request, response, HttpStatus.FORBIDDEN, "no API call answers " + request.getMethod()
                        + " " + request.getRequestURI() + "; nothing was changed", Map.of());
            }
        };
    }
}
