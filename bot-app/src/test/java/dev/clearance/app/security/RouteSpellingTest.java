package dev.clearance.app.security;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.StoreSnapshot;
import dev.clearance.app.support.TimedAppTest;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route the application serves, under every spelling an attacker would try, with no credential and with a
 * wrong one: nothing is served (no 2xx, no redirect other than to the sign-in, no 5xx) and nothing changes in the
 * store. The routes come from the application itself (every {@code RequestMappingInfoHandlerMapping}: the controllers,
 * the web page and the actuator; every servlet registration: Slack's Bolt), so a new endpoint is covered without
 * editing this test. Requests go over a raw socket, so each spelling reaches the server byte for byte.
 */
@TestPropertySource(properties = {
        "clearance.slack.bot-token=xoxb-spelling-test", "clearance.slack.signing-secret=spelling-test-signing-secret-0123",
        "clearance.slack.api-url=http://127.0.0.1:9/api/",
        "clearance.teams.app-id=11111111-2222-3333-4444-555555555555", "clearance.teams.app-password=not-a-real-password",
        "clearance.teams.tenant-id=72f988bf-86f1-41af-91ab-2d7cd011db47",
        "springdoc.api-docs.enabled=true"})
class RouteSpellingTest extends TimedAppTest {
    private static final MockOAuth2Server IDP = startedIdp();
    /** Served to anyone, by design: the probes, the page's style, and the pages around signing in and errors. */
    private static final List<String> PUBLIC = List.of("/actuator/health", "/css/", "/favicon.ico", "/error", "/signed-out");
    private static final List<Map<String, String>> WRONG_CREDENTIALS = List.of(Map.of(),
            Map.of("Authorization", "Bearer wrong-token-0123456789abcdef",
                    "X-Slack-Request-Timestamp", Long.toString(IntegrationTestClock.START),
                    "X-Slack-Signature", "v0=" + "0".repeat(64), "Cookie", "clearance_session=0123456789ABCDEF0123456789ABCDEF"));

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;

    private static MockOAuth2Server startedIdp() {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start();
        return idp;
    }

    @DynamicPropertySource
    static void webPage(DynamicPropertyRegistry registry) {
        registry.add("clearance.web.oidc.issuer-uri", () -> IDP.issuerUrl("clearance").toString());
        registry.add("clearance.web.oidc.client-id", () -> "clearance-web");
        registry.add("clearance.web.oidc.client-secret", () -> "spelling-test-client-secret");
    }

    @AfterAll
    static void stopIdp() {
        IDP.shutdown();
    }

    record Route(String method, String pattern) {
    }

    /** The application's own routes: handler mappings (controllers, web page, actuator) and servlets (Slack). */
    List<Route> routes() {
        Set<Route> routes = new LinkedHashSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    for (RequestMethod m : methods.isEmpty() ? Set.of(RequestMethod.GET, RequestMethod.POST) : methods) {
                        routes.add(new Route(m.name(), pattern));
                    }
                }
            }
        }
        for (ServletRegistrationBean<?> servlet : context.getBeansOfType(ServletRegistrationBean.class).values()) {
            for (String mapping : servlet.getUrlMappings()) {
                if (!mapping.equals("/") && !mapping.equals("/*")) {
                    routes.add(new Route("POST", mapping));
                }
            }
        }
        return List.copyOf(routes);
    }

    @Test
    void theRoutesComeFromTheApplicationAndCoverEveryFamily() {
        List<Route> routes = routes();
        assertThat(routes).contains(new Route("GET", "/api/v1/requests"), new Route("POST", "/api/v1/requests/{id}/decisions"),
                new Route("POST", "/api/v1/requests/{id}/revoke"), new Route("POST", "/slack/events"),
                new Route("POST", "/api/messages"), new Route("GET", "/actuator/prometheus"), new Route("GET", "/"),
                new Route("POST", "/requests/{id}/decide"), new Route("GET", "/v3/api-docs"));
    }

    @Test
    void theSpellingThatOpenedTheApiInCommit8c3796aIsRefused() {
        RawHttp.Answer a = RawHttp.send(port, "GET", "/api/v%31/requests", Map.of(), null);
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        // the control: the harness does see a 2xx when a call is allowed
        assertThat(RawHttp.send(port, "GET", "/api/v%31/requests", Map.of("Authorization", "Bearer " + ApiClient.TOKEN),
                null).status()).isEqualTo(200);
    }

    /** Spring Security's StrictHttpFirewall is on: ambiguous spellings are refused even with a valid token. */
    @Test
    void ambiguousSpellingsAreRefusedEvenWithAValidToken() {
        Map<String, String> token = Map.of("Authorization", "Bearer " + ApiClient.TOKEN);
        for (String target : new String[]{"/api/v1/requests;x", "/api;x/v1/requests", "/api/v1/requests;jsessionid=x",
                "/api//v1/requests", "//api/v1/requests", "/api%2Fv1/requests", "/api%2fv1/requests", "/x/../api/v1/requests",
                "/api/v1/./requests", "/api/v1/%2e/requests", "/x/%2e%2e/api/v1/requests", "/api/v1/requests%00",
                "/api/v%2531/requests", "/api%5Cv1/requests", "/api/v1/requests/%2e%2e/requests"}) {
            int status = RawHttp.send(port, "GET", target, token, null).status();
            assertThat(status).as(target).isEqualTo(400);
        }
        assertThat(RawHttp.send(port, "GET", "/api/v1/requests", token, null).status()).isEqualTo(200);
    }

    @Test
    void noSpellingOfAnyRouteIsServedWithoutAValidCredentialAndNothingChanges() {
        String id = intake("zoe@example.com", "ec2:DescribeVolumes", "123456789012");
        justify(id, "zoe@example.com", null);
        String before = StoreSnapshot.of(jdbc);
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (Route route : routes()) {
            String path = concrete(route.pattern(), id);
            if (PUBLIC.stream().anyMatch(path::startsWith)) {
                continue;
            }
            for (String target : spellings(path)) {
                for (Map<String, String> credential : WRONG_CREDENTIALS) {
                    tried++;
                    RawHttp.Answer a = RawHttp.send(port, route.method(), target, headers(path, credential), body(path));
                    String location = a.header("Location");
                    boolean toSignIn = location != null && (location.contains("/oauth2/authorization/")
                            || location.startsWith(IDP.issuerUrl("clearance").toString()));
                    if (a.status() < 300 || a.status() >= 500 || (a.status() < 400 && !toSignIn)) {
                        failures.add(route.method() + " " + target + (credential.isEmpty() ? " (no credential)" : " (wrong credential)")
                                + " -> " + a.status() + (location == null ? "" : " Location " + location));
                    }
                }
            }
        }
        assertThat(tried).isGreaterThan(1000);
        assertThat(failures).as("served or failed without a valid credential").isEmpty();
        assertThat(StoreSnapshot.of(jdbc)).isEqualTo(before);
        assertThat(status(id)).isEqualTo("PENDING");
    }

    /** A pattern with its variables filled in: a real request id, so that a hole would act on something. */
    static String concrete(String pattern, String id) {
        return pattern.replaceAll("\\{\\*?[^}/]+}", id).replace("/**", "/x").replace("/*", "/x");
    }

    /** The path as an attacker might spell it, each a raw request target. */
    static Set<String> spellings(String path) {
        Set<String> s = new TreeSet<>();
        s.add(path);
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String seg = segments[i];
            for (int c = 0; c < seg.length(); c++) {
                if (Character.isLetterOrDigit(seg.charAt(c))) {
                    String encoded = String.format(Locale.ROOT, "%%%02X", (int) seg.charAt(c));
                    s.add(join(segments, i, seg.substring(0, c) + encoded + seg.substring(c + 1)));
                    s.add(join(segments, i, seg.substring(0, c) + encoded.toLowerCase(Locale.ROOT) + seg.substring(c + 1)));
                    // an encoded percent: decoded twice by a careless layer
                    s.add(join(segments, i, seg.substring(0, c) + "%25" + encoded.substring(1) + seg.substring(c + 1)));
                    break;
                }
            }
            s.add(join(segments, i, seg + ";x"));
            s.add(join(segments, i, seg + ";jsessionid=x"));
            s.add(join(segments, i, seg.toUpperCase(Locale.ROOT)));
            s.add(join(segments, i, seg + "%00"));
            s.add(join(segments, i, seg + "%20"));
        }
        StringBuilder all = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            all.append(b == '/' ? "/" : String.format(Locale.ROOT, "%%%02X", b));
        }
        s.add(all.toString());
        s.add("/" + path.substring(1).replace("/", "%2F"));
        s.add("/" + path.substring(1).replace("/", "%2f"));
        s.add("/" + path.substring(1).replace("/", "%5C"));
        s.add("/" + path.substring(1).replace("/", "\\"));
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                s.add(path.substring(0, i) + "/" + path.substring(i));
                s.add(path.substring(0, i) + "/./" + path.substring(i + 1));
                s.add(path.substring(0, i) + "/%2e/" + path.substring(i + 1));
                s.add(path.substring(0, i) + "/x/../" + path.substring(i + 1));
                s.add(path.substring(0, i) + "/x/%2e%2e/" + path.substring(i + 1));
                s.add(path.substring(0, i) + "/x/%2E%2E/" + path.substring(i + 1));
            }
        }
        s.add(path + "/");
        s.add(path + "/.");
        s.add(path + ";");
        s.add(path + "?x=%ED%BF%BF");
        s.add(path.toUpperCase(Locale.ROOT));
        s.add("http://localhost" + path);
        return s;
    }

    private static String join(String[] segments, int replaced, String with) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            b.append('/').append(i == replaced ? with : segments[i]);
        }
        return b.toString();
    }

    private static boolean slack(String path) {
        return path.startsWith("/slack/");
    }

    private static boolean machine(String path) {
        return path.startsWith("/api/") || path.startsWith("/actuator") || path.startsWith("/v3/");
    }

    private static Map<String, String> headers(String path, Map<String, String> credential) {
        Map<String, String> h = new java.util.HashMap<>(credential);
        h.put("Content-Type", machine(path) ? "application/json" : "application/x-www-form-urlencoded");
        return h;
    }

    /** A body that would change something if it were let through: an approval by an eligible approver, and more. */
    private static byte[] body(String path) {
        String text;
        if (slack(path)) {
            text = "command=%2Faccess&text=pending&user_id=U0PAT&team_id=T0TEST";
        } else if (path.equals("/api/messages")) {
            text = "{\"type\":\"message\",\"text\":\"pending\",\"from\":{\"id\":\"29:mallory\"},\"serviceUrl\":\"http://127.0.0.1:9/\"}";
        } else if (machine(path)) {
            text = "{\"requester\":\"zoe@example.com\",\"resource\":\"s3:GetObject\",\"account\":\"123456789012\","
                    + "\"actor\":\"zoe@example.com\",\"approver\":\"pat@example.com\",\"decision\":\"approve\","
                    + "\"reason\":\"spelled\",\"justification\":\"INC-1: spelled\"}";
        } else {
            text = "decision=approve&reason=spelled&justification=spelled&resource=s3%3AGetObject&account=123456789012";
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The start of the test clock, for a Slack timestamp that is fresh (only the signature is wrong). */
    private static final class IntegrationTestClock {
        static final long START = dev.clearance.app.support.IntegrationTestConfig.START.getEpochSecond();
    }
}
