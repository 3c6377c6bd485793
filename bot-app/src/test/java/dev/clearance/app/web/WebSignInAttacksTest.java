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
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the web sign-in tried by the penetration test of issue 19, over plain HTTP against mock-oauth2-server,
 * that the defences held: a session id planted before sign-in is not the one signed in (session fixation), a CSRF
 * token from one person's session is refused in another's, and after sign-in the browser goes back only to a page of
 * this application.
 */
@TestPropertySource(properties = {"clearance.web.allowed-email-domains=example.com",
        // the JDK client, unlike browsers, sends no secure cookie to http://localhost
        "server.servlet.session.cookie.secure=false"})
class WebSignInAttacksTest extends TimedAppTest {
    private static final String CLIENT_ID = "clearance-web";
    private static final MockOAuth2Server IDP = startedIdp();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

    private static MockOAuth2Server startedIdp() {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start();
        return idp;
    }

    @DynamicPropertySource
    static void web(DynamicPropertyRegistry registry) {
        registry.add("clearance.web.oidc.issuer-uri", () -> IDP.issuerUrl("clearance").toString());
        registry.add("clearance.web.oidc.client-id", () -> CLIENT_ID);
        registry.add("clearance.web.oidc.client-secret", () -> "web-attacks-test-client-secret");
    }

    @AfterAll
    static void stopIdp() {
        IDP.shutdown();
    }

    @BeforeEach
    void realTime() {
        clock.set(Instant.now());
    }

    private record Browser(HttpClient client, CookieManager cookies) {
        static Browser fresh() {
            CookieManager cookies = new CookieManager();
            return new Browser(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).cookieHandler(cookies)
                    .build(), cookies);
        }

        String session() {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("clearance_session"))
                    .map(HttpCookie::getValue).findFirst().orElse(null);
        }
    }

    private HttpResponse<String> send(Browser b, HttpRequest request) {
        try {
            return b.client().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> open(Browser b, String path) {
        return send(b, HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build());
    }

    private HttpResponse<String> post(Browser b, String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(b, HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private static void nextSignInIs(String email) {
        IDP.enqueueCallback(new DefaultOAuth2TokenCallback("clearance", email.substring(0, email.indexOf('@')), "JWT",
                List.of(CLIENT_ID), Map.of("email", email, "email_verified", true), 3600));
    }

    private Browser signedIn(String email) {
        Browser b = Browser.fresh();
        nextSignInIs(email);
        HttpResponse<String> page = open(b, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase(email);
        return b;
    }

    private static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    @Test
    void aSessionIdPlantedBeforeSignInIsNotTheOneSignedIn() {
        Browser b = Browser.fresh();
        HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(b.cookies()).build();
        try {
            noRedirects.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/requests/new")).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String planted = b.session();
        assertThat(planted).as("a session before sign-in (the saved request)").isNotNull();
        nextSignInIs("zoe@example.com");
        assertThat(open(b, "/").body()).containsIgnoringCase("zoe@example.com");
        assertThat(b.session()).isNotNull().isNotEqualTo(planted);

        // the planted id, sent by the attacker's own browser, is signed in as nobody
        Browser attacker = Browser.fresh();
        attacker.cookies().getCookieStore().add(URI.create("http://localhost:" + port),
                withPath(new HttpCookie("clearance_session", planted)));
        HttpClient attackerNoRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(attacker.cookies()).build();
        try {
            HttpResponse<String> r = attackerNoRedirects.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/requests/new")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("sent to sign in").isEqualTo(302);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpCookie withPath(HttpCookie c) {
        c.setPath("/");
        c.setVersion(0);
        return c;
    }

    @Test
    void aCsrfTokenFromOnePersonsSessionIsRefusedInAnothers() {
        Browser zoe = signedIn("zoe@example.com");
        String zoesToken = csrf(open(zoe, "/requests/new").body());
        Browser yan = signedIn("yan@example.com");
        HttpResponse<String> forged = post(yan, "/requests/new", Map.of("_csrf", zoesToken, "resource", "ec2:RebootInstances",
                "account", "210987654321", "justification", "x", "action", "submit"));
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
        HttpResponse<String> none = post(yan, "/requests/new", Map.of("resource", "ec2:RebootInstances",
                "account", "210987654321", "justification", "x", "action", "submit"));
        assertThat(none.statusCode()).isEqualTo(403);
        HttpResponse<String> own = post(yan, "/requests/new", Map.of("_csrf", csrf(open(yan, "/requests/new").body()),
                "resource", "ec2:RebootInstances", "account", "210987654321", "justification", "x", "action", "preview"));
        assertThat(own.statusCode()).as("the page's own token works").isEqualTo(200);
    }

    @Test
    void afterSignInTheBrowserGoesBackOnlyToThisApplication() throws Exception {
        for (String target : List.of("//evil.example/", "/%5Cevil.example/", "/%2F%2Fevil.example/",
                "/requests/x?continue=https://evil.example/", "/login?redirect_uri=https://evil.example/",
                "/oauth2/authorization/clearance?redirect_uri=https://evil.example/")) {
            Browser b = Browser.fresh();
            URI uri = URI.create("http://localhost:" + port + target);
            HttpResponse<String> first = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .cookieHandler(b.cookies()).build().send(HttpRequest.newBuilder(uri).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            String location = first.headers().firstValue("Location").orElse("");
            if (first.statusCode() != 302) {
                assertThat(first.statusCode()).as(target).isBetween(400, 499);
                continue;
            }
            assertThat(URI.create(location).getHost()).as(target + " -> " + location)
                    .isIn(null, "localhost", IDP.issuerUrl("clearance").host());
            if (!location.contains("/oauth2/authorization/")) {
                continue;
            }
            nextSignInIs("zoe@example.com");
            HttpResponse<String> r = send(b, HttpRequest.newBuilder(uri).GET().build());
            assertThat(r.uri().getHost()).as(target + " ended at " + r.uri()).isEqualTo("localhost");
        }
    }
}
