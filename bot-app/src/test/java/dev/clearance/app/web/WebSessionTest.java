package dev.clearance.app.web;

import dev.clearance.app.support.TimedAppTest;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web sign-in over plain HTTP (no browser): a real OpenID Connect flow against mock-oauth2-server, redirects and
 * cookies as a browser would follow them. Sign-ins end at their absolute lifetime and when the ID token expires, on
 * the injected clock; only the allowed email domains may sign in; a bad page number is a 400.
 */
@TestPropertySource(properties = {"clearance.web.allowed-email-domains=example.com, Example.ORG",
        "clearance.web.session-lifetime=8h",
        // the JDK client, unlike browsers, sends no secure cookie to http://localhost
        "server.servlet.session.cookie.secure=false"})
class WebSessionTest extends TimedAppTest {
    private static final String CLIENT_ID = "clearance-web";
    private static final MockOAuth2Server IDP = startedIdp();
    private HttpClient browser;

    private static MockOAuth2Server startedIdp() {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start();
        return idp;
    }

    @DynamicPropertySource
    static void web(DynamicPropertyRegistry registry) {
        registry.add("clearance.web.oidc.issuer-uri", () -> IDP.issuerUrl("clearance").toString());
        registry.add("clearance.web.oidc.client-id", () -> CLIENT_ID);
        registry.add("clearance.web.oidc.client-secret", () -> "web-session-test-client-secret");
    }

    @AfterAll
    static void stopIdp() {
        IDP.shutdown();
    }

    @BeforeEach
    void freshBrowser() {
        browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).cookieHandler(new CookieManager()).build();
        // the identity provider stamps its tokens with the real time: the application's clock starts there too
        clock.set(Instant.now());
    }

    /** The identity provider's next sign-in is this person, with an ID token valid for {@code lifetime}. */
    private static void nextSignInIs(String email, Duration lifetime) {
        IDP.enqueueCallback(new DefaultOAuth2TokenCallback("clearance", email.substring(0, email.indexOf('@')), "JWT",
                List.of(CLIENT_ID), Map.of("email", email, "email_verified", true), lifetime.toSeconds()));
    }

    private HttpResponse<String> open(String path) {
        try {
            return browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens {@code path} without following redirects, with this browser's cookies. */
    private HttpResponse<String> peek(String path) {
        HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(browser.cookieHandler().orElseThrow()).build();
        try {
            return noRedirects.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void signIn(String email, Duration idTokenLifetime) {
        nextSignInIs(email, idTokenLifetime);
        HttpResponse<String> page = open("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase(email);
    }

    private static boolean sentToSignIn(HttpResponse<String> r) {
        return r.statusCode() == 302 && r.headers().firstValue("Location").orElse("").contains("/oauth2/authorization/");
    }

    @Test
    void aSignInEndsWhenItsIdTokenExpires() {
        signIn("zoe@example.com", Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(50));
        assertThat(peek("/").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(11));
        assertThat(sentToSignIn(peek("/"))).as("past the ID token's expiry").isTrue();
        // the identity provider still knows the person: signing in again brings them back (with a token stamped by the
        // identity provider's own clock, the wall clock)
        clock.set(Instant.now());
        signIn("zoe@example.com", Duration.ofHours(1));
    }

    @Test
    void aBusySignInEndsAtItsAbsoluteLifetime() {
        signIn("zoe@example.com", Duration.ofHours(24));
        for (int hour = 1; hour < 8; hour++) {
            clock.advance(Duration.ofHours(1));
            assertThat(peek("/").statusCode()).as("hour " + hour).isEqualTo(200);
        }
        clock.advance(Duration.ofMinutes(59));
        assertThat(peek("/").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        assertThat(sentToSignIn(peek("/"))).as("8 hours after signing in, however busy").isTrue();
    }

    @Test
    void onlyTheAllowedEmailDomainsMaySignIn() {
        nextSignInIs("eve@evil.test", Duration.ofHours(1));
        HttpResponse<String> refused = open("/");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Sign-in refused", "eve@evil.test", "CLEARANCE_WEB_ALLOWED_EMAIL_DOMAINS");
        nextSignInIs("eve@dev.example.com", Duration.ofHours(1));
        assertThat(open("/").statusCode()).as("no suffix match").isEqualTo(403);
        nextSignInIs("eve@example.com.evil.test", Duration.ofHours(1));
        assertThat(open("/").statusCode()).isEqualTo(403);
        signIn("ann@EXAMPLE.org", Duration.ofHours(1));
    }

    @Test
    void aPageNumberOutOfRangeIsA400NotA500() {
        signIn("zoe@example.com", Duration.ofHours(1));
        for (String query : new String[]{"page=100000000", "page=2147483647", "page=-1", "page=99999999999", "page=abc"}) {
            HttpResponse<String> r = peek("/?" + query);
            assertThat(r.statusCode()).as(query).isEqualTo(400);
            assertThat(r.body()).as(query).contains("page");
        }
        assertThat(peek("/?show=all&scope=x%ED%BF%BFy").statusCode()).isEqualTo(400);
    }
}
