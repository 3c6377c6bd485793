package dev.clearance.app.web;

import dev.clearance.app.config.ClearanceProperties;
import dev.clearance.app.config.Secrets;
import dev.clearance.app.security.EmailDomains;
import dev.clearance.app.security.WebSessionLifetimeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.util.HtmlUtils;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Who may reach the web page over HTTP. The machine endpoints have chains of their own, ordered before this one: the
 * REST API and the actuator ({@code dev.clearance.app.security.ApiSecurityConfiguration}, bearer tokens), Slack
 * ({@code SlackWiring}, request signatures). Everything else is the web page, signed in through OpenID Connect, or,
 * without an identity provider configured, a single page saying how to turn it on.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class WebSecurityConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(WebSecurityConfiguration.class);
    static final String REGISTRATION = "clearance";
    /** The web page is on exactly when an identity provider is configured; every web bean is conditional on these. */
    static final String WEB_PAGE_ON = "!'${clearance.web.oidc.issuer-uri:}'.isBlank()";
    static final String WEB_PAGE_OFF = "'${clearance.web.oidc.issuer-uri:}'.isBlank()";
    /** No scripts at all; styles and images from this application only; never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** The web page, on when an OpenID Connect issuer is configured. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression(WEB_PAGE_ON)
    static class SignedIn {
        @Bean
        ClientRegistrationRepository clientRegistrations(ClearanceProperties properties) {
            ClearanceProperties.Oidc oidc = properties.web().oidc();
            String clientId = oidc.clientId();
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalStateException("clearance.web.oidc.client-id (CLEARANCE_OIDC_CLIENT_ID) is required when "
                        + "clearance.web.oidc.issuer-uri (CLEARANCE_OIDC_ISSUER_URI) is set");
            }
            String secret = Secrets.read(oidc.clientSecret(), oidc.clientSecretFile(),
                    "clearance.web.oidc.client-secret (CLEARANCE_OIDC_CLIENT_SECRET)", "clearance.web.oidc.client-secret-file")
                    .orElseThrow(() -> new IllegalStateException("clearance.web.oidc.client-secret (CLEARANCE_OIDC_CLIENT_SECRET)"
                            + " or clearance.web.oidc.client-secret-file is required when CLEARANCE_OIDC_ISSUER_URI is set"));
            ClientRegistration.Builder discovered;
            try {
                discovered = ClientRegistrations.fromIssuerLocation(oidc.issuerUri().strip());
            } catch (RuntimeException e) {
                throw new IllegalStateException("clearance.web.oidc.issuer-uri (CLEARANCE_OIDC_ISSUER_URI): cannot read the "
                        + "OpenID configuration of " + oidc.issuerUri().strip() + ": " + e.getMessage(), e);
            }
            ClientRegistration registration = discovered.registrationId(REGISTRATION).clientId(clientId.strip())
                    .clientSecret(secret).scope("openid", "email", "profile").userNameAttributeName("email").build();
            LOG.info("web page on: sign-in through {} as client {}", oidc.issuerUri().strip(), clientId.strip());
            EmailDomains.of(properties.web().allowedEmailDomains()).announce(oidc.issuerUri().strip());
            return new InMemoryClientRegistrationRepository(registration);
        }

        @Bean
        @Order(2)
        SecurityFilterChain web(HttpSecurity http, ClearanceProperties properties, Clock clock) throws Exception {
            EmailDomains domains = EmailDomains.of(properties.web().allowedEmailDomains());
            // after signing in, back to exactly the page that was asked for (an emailed link), without "?continue"
            org.springframework.security.web.savedrequest.HttpSessionRequestCache requestCache =
                    new org.springframework.security.web.savedrequest.HttpSessionRequestCache();
            requestCache.setMatchingRequestParameterName(null);
            http.requestCache(c -> c.requestCache(requestCache))
                    .authorizeHttpRequests(a -> a
                            .requestMatchers("/css/**", "/favicon.ico", "/error", "/signed-out").permitAll()
                            .anyRequest().authenticated())
                    .oauth2Login(o -> o
                            .loginPage("/oauth2/authorization/" + REGISTRATION)
                            .userInfoEndpoint(u -> u.oidcUserService(verifiedEmailOnly(domains)))
                            .failureHandler((request, response, e) -> {
                                // a page of its own: a redirect to the sign-in would send the person straight back
                                response.setStatus(HttpStatus.FORBIDDEN.value());
                                response.setContentType("text/html;charset=UTF-8");
                                response.getOutputStream().write(("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                                        + "<title>Sign-in refused - Clearance</title><link rel=\"stylesheet\" href=\"/css/clearance.css\">"
                                        + "</head><body><main><h1>Sign-in refused</h1><p role=\"alert\">"
                                        + HtmlUtils.htmlEscape(e.getMessage() == null ? "the identity provider refused" : e.getMessage())
                                        + "</p><p><a href=\"/\">Try again</a></p></main></body></html>").getBytes(StandardCharsets.UTF_8));
                            }))
                    .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/signed-out"))
                    // NB: a sign-in ends at its absolute lifetime and when its ID token expires, however busy the tab
                    .addFilterBefore(new WebSessionLifetimeFilter(clock, properties.web().sessionLifetime()),
                            AnonymousAuthenticationFilter.class)
                    .headers(h -> h
                            .contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY))
                            .frameOptions(f -> f.deny())
                            .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
            return http.build();
        }

        /**
         * NB: the person is the identity provider's email claim, only if the provider says it verified it, and only at
         * an allowed domain.
         */
        static OAuth2UserService<OidcUserRequest, OidcUser> verifiedEmailOnly(EmailDomains domains) {
            OidcUserService delegate = new OidcUserService();
            return request -> {
                OidcUser user = delegate.loadUser(request);
                String email = user.getEmail();
                if (email == null || email.isBlank()) {
                    throw refused("the identity provider sent no email for this account; Clearance knows people by email");
                }
                if (!Boolean.TRUE.equals(user.getEmailVerified())) {
                    throw refused("the identity provider has not verified the email " + email
                            + "; Clearance accepts only verified emails");
                }
                try {
                    dev.clearance.core.model.UserEmail.parse("email", email);
                } catch (RuntimeException e) {
                    throw refused("the email " + email + " is not one Clearance can use: " + e.getMessage());
                }
                if (!domains.allows(email)) {
                    throw refused("the email " + email + " is not at a domain this Clearance admits; ask an admin to add "
                            + "it to CLEARANCE_WEB_ALLOWED_EMAIL_DOMAINS if it should be");
                }
                return new DefaultOidcUser(user.getAuthorities(), user.getIdToken(), user.getUserInfo(), "email");
            };
        }

        private static OAuth2AuthenticationException refused(String why) {
            return new OAuth2AuthenticationException(new OAuth2Error("email_not_verified", why, null), why);
        }
    }

    /** No identity provider: the web page is off, and {@code /} says how to turn it on. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression(WEB_PAGE_OFF)
    static class Off {
        @Bean
        @Order(2)
        SecurityFilterChain webOff(HttpSecurity http) throws Exception {
            http.authorizeHttpRequests(a -> a.requestMatchers("/", "/css/**", "/error").permitAll().anyRequest().denyAll())
                    .csrf(c -> c.disable()) // nothing here takes a change
                    .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                    .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY)));
            return http.build();
        }
    }
}
