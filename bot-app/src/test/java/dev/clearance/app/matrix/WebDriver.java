package dev.clearance.app.matrix;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The web page without a browser: each persona signs in once through the OpenID Connect code flow (mock-oauth2-server
 * plays the identity provider; the JDK HttpClient follows the redirects and keeps the cookies), reads the page's CSRF
 * token, and POSTs the request page's forms (whether or not the page offers them, as a crafted post would; what the
 * page offers must match what the post may do). {@code see} is GET {@code /requests/{id}}. Allowed: the
 * post-redirect-get back to the request page with its notice (a 200 page for a read). Refused: a 403 page saying why.
 */
final class WebDriver implements ChannelDriver {
    static final String CLIENT_ID = "clearance-web";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
    private final String base;
    private final MockOAuth2Server idp;
    private final Map<Persona, Session> sessions = new EnumMap<>(Persona.class);

    WebDriver(int port, MockOAuth2Server idp) {
        this.base = "http://localhost:" + port;
        this.idp = idp;
    }

    @Override
    public Channel channel() {
        return Channel.WEB;
    }

    @Override
    public Answer attempt(Action action, Persona persona, String id) {
        Session s = sessions.computeIfAbsent(persona, this::signIn);
        String page = "/requests/" + id;
        return switch (action) {
            case SEE -> read(s.get(page));
            case JUSTIFY -> act(s, page, "/justify", Map.of("justification", "INC-4711: the matrix", "duration", "1h"));
            case APPROVE_AT_STEP1, APPROVE_AT_STEP2 -> act(s, page, "/decide",
                    Map.of("decision", "approve", "reason", "checked", "duration", ""));
            case DENY_AT_STEP1, DENY_AT_STEP2 -> act(s, page, "/decide", Map.of("decision", "deny", "reason", "not needed"));
            case CANCEL_PENDING, CANCEL_APPROVED -> act(s, page, "/cancel", Map.of());
            case REVOKE -> act(s, page, "/revoke", Map.of("reason", "incident closed"));
            case ABANDON, EXTEND -> throw new IllegalArgumentException(Channel.WEB.missing.get(action));
        };
    }

    private static Answer read(HttpResponse<String> r) {
        String evidence = "GET " + r.uri().getPath() + " -> HTTP " + r.statusCode() + " " + text(r.body());
        if (r.statusCode() == 200 && r.body().contains("<span class=\"status") && r.previousResponse().isEmpty()) {
            return Answer.allowed(evidence);
        }
        if (r.statusCode() == 403 && r.body().contains("class=\"error\"")) {
            return Answer.refused(evidence);
        }
        throw new AssertionError("neither the request page nor a 403 page: " + evidence);
    }

    /**
     * Looks at the request page first (does it offer this form?), then posts the form whatever the page offered, as a
     * crafted post would; what the page offers must be what the post is allowed to do.
     */
    private static Answer act(Session s, String page, String form, Map<String, String> fields) {
        HttpResponse<String> shown = s.get(page);
        boolean offered = shown.statusCode() == 200 && shown.body().contains("action=\"" + page + form + "\"");
        Answer answer = post(s.post(page + form, fields), page);
        if (offered != answer.allowed()) {
            return answer.withMismatch("the page " + (offered ? "offers" : "does not offer") + " the form " + form
                    + " but posting it was " + (answer.allowed() ? "allowed" : "refused"));
        }
        return answer;
    }

    private static Answer post(HttpResponse<String> r, String page) {
        String evidence = "POST -> " + r.previousResponse().map(p -> "HTTP " + p.statusCode() + " to " + r.uri().getPath() + ", ")
                .orElse("") + "HTTP " + r.statusCode() + " " + text(r.body());
        if (r.previousResponse().filter(p -> p.statusCode() == 302).isPresent() && r.statusCode() == 200
                && r.uri().getPath().equals(page) && r.body().contains("class=\"notice\"")) {
            return Answer.allowed(evidence);
        }
        if (r.previousResponse().isEmpty() && r.statusCode() == 403 && r.body().contains("class=\"error\"")) {
            return Answer.refused(evidence);
        }
        throw new AssertionError("neither post-redirect-get with a notice nor a 403 page: " + evidence);
    }

    /** The page's text, without markup, for failure messages. */
    private static String text(String html) {
        String t = html.replaceAll("(?s)<head>.*?</head>", "").replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip();
        return t.length() > 600 ? t.substring(0, 600) + "…" : t;
    }

    private Session signIn(Persona persona) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("clearance", persona.name, "JWT", List.of(CLIENT_ID),
                Map.of("email", persona.email(), "email_verified", true)));
        Session s = new Session();
        HttpResponse<String> home = s.get("/");
        if (home.statusCode() != 200 || !home.body().contains(persona.email())) {
            throw new AssertionError(persona + " could not sign in: HTTP " + home.statusCode() + " " + text(home.body()));
        }
        Matcher m = CSRF.matcher(home.body());
        if (!m.find()) {
            throw new AssertionError("no _csrf field on the signed-in page of " + persona);
        }
        s.csrf = m.group(1);
        return s;
    }

    /** One signed-in browser session: its cookies and the page's CSRF token. */
    private final class Session {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .cookieHandler(new Jar()).build();
        private String csrf;

        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        HttpResponse<String> post(String path, Map<String, String> fields) {
            Map<String, String> form = new java.util.LinkedHashMap<>(fields);
            form.put("_csrf", csrf);
            String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Cookies by port and name. A browser sends the session cookie, which is {@code Secure}, to http://localhost (a
     * secure context); java.net.CookieManager would not, so this jar keeps them itself.
     */
    private static final class Jar extends CookieHandler {
        private final Map<String, String> cookies = new ConcurrentHashMap<>();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
            String prefix = uri.getPort() + " ";
            String header = cookies.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .map(e -> e.getKey().substring(prefix.length()) + "=" + e.getValue()).collect(Collectors.joining("; "));
            return header.isEmpty() ? Map.of() : Map.of("Cookie", List.of(header));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) {
            responseHeaders.forEach((name, values) -> {
                if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                    for (String cookie : values) {
                        String pair = cookie.split(";", 2)[0];
                        int eq = pair.indexOf('=');
                        if (eq <= 0) {
                            continue;
                        }
                        String key = uri.getPort() + " " + pair.substring(0, eq).strip();
                        String value = pair.substring(eq + 1).strip();
                        if (value.isEmpty() || cookie.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                            cookies.remove(key);
                        } else {
                            cookies.put(key, value);
                        }
                    }
                }
            });
        }
    }
}
