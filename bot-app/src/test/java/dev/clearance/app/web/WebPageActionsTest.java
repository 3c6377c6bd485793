package dev.clearance.app.web;

import dev.clearance.app.support.AppTestBase;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.service.RequestPermissions;
import dev.clearance.core.service.RequestPermissions.Action;
import dev.clearance.core.service.RequestQueries;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request page offers exactly the actions {@link RequestPermissions} allows the signed-in person now, for each
 * person and request state; a person who may not see a request gets a refusal and no form. Signs in through a real
 * OpenID Connect flow (mock-oauth2-server) with a plain HTTP client, so it runs without a browser.
 */
class WebPageActionsTest extends AppTestBase {
    private static final String CLIENT_ID = "clearance-web";
    private static final int APP_PORT = freePort();
    private static final MockOAuth2Server IDP = startedIdp();
    private static final String BASE = "http://localhost:" + APP_PORT;
    private static final Pattern FORM = Pattern.compile("action=\"/requests/([A-Za-z0-9-]+)/(justify|decide|cancel|revoke)\"");

    @Autowired
    private RequestQueries queries;

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockOAuth2Server startedIdp() {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start();
        return idp;
    }

    @DynamicPropertySource
    static void web(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> APP_PORT);
        registry.add("clearance.public-url", () -> BASE);
        registry.add("clearance.web.oidc.issuer-uri", () -> IDP.issuerUrl("clearance").toString());
        registry.add("clearance.web.oidc.client-id", () -> CLIENT_ID);
        registry.add("clearance.web.oidc.client-secret", () -> "web-test-client-secret");
    }

    @AfterAll
    static void stopIdp() {
        IDP.shutdown();
    }

    /** A browser's memory, as little as the sign-in needs: the application's cookies, and redirects followed. */
    private static final class Session {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private final Map<String, String> cookies = new LinkedHashMap<>();

        HttpResponse<String> get(String path) throws Exception {
            URI uri = URI.create(BASE + path);
            for (int hop = 0; hop < 10; hop++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
                boolean app = uri.getPort() == APP_PORT;
                if (app && !cookies.isEmpty()) {
                    request.header("Cookie", String.join("; ", cookies.entrySet().stream()
                            .map(c -> c.getKey() + "=" + c.getValue()).toList()));
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (app) {
                    for (String set : response.headers().allValues("Set-Cookie")) {
                        String pair = set.split(";", 2)[0];
                        cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                    }
                }
                Optional<String> location = response.headers().firstValue("Location");
                if (response.statusCode() / 100 != 3 || location.isEmpty()) {
                    return response;
                }
                uri = uri.resolve(location.get());
            }
            throw new AssertionError("too many redirects from " + path);
        }
    }

    /** A session signed in to the web page as {@code email}, through the identity provider's redirects. */
    private static Session signedIn(String email) throws Exception {
        IDP.enqueueCallback(new DefaultOAuth2TokenCallback("clearance", email.substring(0, email.indexOf('@')), "JWT",
                List.of(CLIENT_ID), Map.of("email", email, "email_verified", true)));
        Session session = new Session();
        HttpResponse<String> home = session.get("/");
        assertThat(home.statusCode()).as("signed in as %s: %s", email, home.body()).isEqualTo(200);
        assertThat(home.body()).contains(email);
        return session;
    }

    /** The actions the page's forms offer for request {@code id}. */
    private static Set<Action> offered(String html, String id) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        Matcher m = FORM.matcher(html);
        while (m.find()) {
            assertThat(m.group(1)).isEqualTo(id);
            switch (m.group(2)) {
                case "justify" -> actions.add(Action.JUSTIFY);
                case "decide" -> {
                    if (html.contains("value=\"approve\"")) {
                        actions.add(Action.APPROVE);
                    }
                    if (html.contains("value=\"deny\"")) {
                        actions.add(Action.DENY);
                    }
                }
                case "cancel" -> actions.add(Action.CANCEL);
                case "revoke" -> actions.add(Action.REVOKE);
                default -> throw new AssertionError(m.group(2));
            }
        }
        return actions;
    }

    @Test
    void eachPersonIsOfferedExactlyWhatTheRuleAllowsThemNow() throws Exception {
        Map<String, String> requests = new LinkedHashMap<>();
        // two security reviews, then an owner of org/prod
        String requested = intake("alice@example.com", "s3:DeleteObject", "123456789012");
        requests.put("requested", requested);
        String pending = intake("alice@example.com", "s3:DeleteBucket", "123456789012");
        justify(pending, "alice@example.com", "1h");
        requests.put("pending step 1", pending);
        String step2 = intake("alice@example.com", "s3:DeleteBucketPolicy", "123456789012");
        justify(step2, "alice@example.com", "1h");
        decide(step2, "sam@example.com", "approve");
        decide(step2, "sue@example.com", "approve");
        requests.put("pending step 2", step2);
        String granted = intake("alice@example.com", "ec2:StopInstances", "210987654321");
        justify(granted, "alice@example.com", "1h");
        decide(granted, "olga@example.com", "approve");
        requests.put("approved", granted);
        String denied = intake("alice@example.com", "ec2:StartInstances", "210987654321");
        justify(denied, "alice@example.com", "1h");
        decide(denied, "olga@example.com", "deny");
        requests.put("denied", denied);
        settle();
        assertThat(status(granted)).isEqualTo("APPROVED");

        Set<Action> onThePage = EnumSet.of(Action.JUSTIFY, Action.APPROVE, Action.DENY, Action.CANCEL, Action.REVOKE);
        Set<String> seenOffered = new java.util.TreeSet<>();
        for (String who : List.of("alice", "sam", "pat", "olga", "bob", "root")) {
            String email = who + "@example.com";
            Session session = signedIn(email);
            for (Map.Entry<String, String> request : requests.entrySet()) {
                String id = request.getValue();
                RequestPermissions may = queries.permissionsFor(UserEmail.of(email), id);
                HttpResponse<String> page = session.get("/requests/" + id);
                Set<Action> offered = offered(page.body(), id);
                if (!may.allows(Action.SEE)) {
                    assertThat(page.statusCode()).as("%s on %s", who, request.getKey()).isEqualTo(403);
                    assertThat(page.body()).contains("Only the requester and the approvers or admins").doesNotContain("s3:Delete");
                    assertThat(offered).isEmpty();
                    continue;
                }
                assertThat(page.statusCode()).as("%s on %s", who, request.getKey()).isEqualTo(200);
                Set<Action> expected = EnumSet.noneOf(Action.class);
                expected.addAll(may.allowed());
                expected.retainAll(onThePage);
                assertThat(offered).as("%s is offered, on %s", who, request.getKey()).isEqualTo(expected);
                offered.forEach(a -> seenOffered.add(a.name()));
                if (id.equals(granted)) {
                    // the default policy: 1 d at a time, 2 d in total; granted for 1 h
                    assertThat(page.body()).as("what is left of the total, to %s", who)
                            .contains("Can still be extended by 1 day and 23 hours (2 days in total at most)");
                }
            }
        }
        assertThat(seenOffered).as("the table offers each action somewhere").containsExactlyInAnyOrder(
                "JUSTIFY", "APPROVE", "DENY", "CANCEL", "REVOKE");
        requests.values().forEach(id -> withdraw(id, "alice@example.com"));
    }
}
