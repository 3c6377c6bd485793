package dev.clearance.adapters.teams;

import com.microsoft.bot.connector.authentication.AuthenticationConfiguration;
import com.microsoft.bot.connector.authentication.ChannelProvider;
import com.microsoft.bot.connector.authentication.ClaimsIdentity;
import com.microsoft.bot.connector.authentication.CredentialProvider;
import com.microsoft.bot.connector.authentication.JwtTokenValidation;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.Serialization;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Authenticates a Bot Framework request before anything acts on it: the body (read once, already size-capped) is
 * parsed as an activity, its {@code Authorization} header validated by botbuilder's own {@code JwtTokenValidation},
 * with the same credential and channel providers as the adapter. A failure is answered (401, or 400 for a body that
 * is not an activity, 403 for a development-mode serviceUrl off this machine) and goes no further; a success hands
 * the proven {@link Caller} to the callback and passes on the request carrying the parsed activity and its
 * identity ({@link #AUTHENTICATED}), so nothing parses or validates it again.
 */
public final class TeamsTokenFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(TeamsTokenFilter.class);
    private static final String PROBLEM = "application/problem+json";
    private final CredentialProvider credentials;
    private final ChannelProvider channels;
    private final AuthenticationConfiguration configuration = new AuthenticationConfiguration();
    private final TeamsGate gate;
    private final Consumer<Caller> onAuthenticated;
    /** The request attribute holding the authenticated activity, for {@link TeamsEndpoint#handle(Object)}. */
    public static final String AUTHENTICATED = TeamsTokenFilter.class.getName() + ".authenticated";

    /**
     * Who the Bot Framework proved sent a request.
     *
     * @param appId     the app id the token was issued for (its audience: this bot's), or null when anonymous
     * @param anonymous no token was validated: development mode ({@code TEAMS_ALLOW_UNAUTHENTICATED=true}, no app id)
     * @param claims    the token's claims (empty when anonymous)
     */
    public record Caller(String appId, boolean anonymous, Map<String, String> claims) {
    }

    /**
     * @param credentials     the bot's app id and password, as given to the adapter (no app id: authentication disabled)
     * @param channels        the channel provider, as given to the adapter
     * @param gate            the same gate as the bot's: in development mode, loopback serviceUrls only
     * @param onAuthenticated told who called, on the request's thread, just before the request goes on
     */
    public TeamsTokenFilter(CredentialProvider credentials, ChannelProvider channels, TeamsGate gate,
                            Consumer<Caller> onAuthenticated) {
        this.credentials = credentials;
        this.channels = channels;
        this.gate = gate;
        this.onAuthenticated = onAuthenticated;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        // NB: the body is capped before this filter (BodySizeLimitFilter), so reading it whole is bounded
        byte[] body = request.getInputStream().readAllBytes();
        Activity activity;
        try {
            activity = Serialization.getAs(Serialization.jsonToTree(new String(body, StandardCharsets.UTF_8)), Activity.class);
        } catch (Exception e) {
            write(response, 400, TeamsEndpoint.NOT_AN_ACTIVITY);
            return;
        }
        if (activity == null || activity.getType() == null) {
            write(response, 400, TeamsEndpoint.NO_TYPE);
            return;
        }
        // NB: in development mode nothing proves the serviceUrl: one off this machine is refused before anything else
        Optional<String> refused = gate.serviceUrlRefusal(activity);
        if (refused.isPresent()) {
            LOG.warn("refused a Teams activity with serviceUrl {}: {}", TeamsEndpoint.safe(activity.getServiceUrl()), refused.get());
            write(response, 403, TeamsEndpoint.forbidden(refused.get()));
            return;
        }
        String authorization = request.getHeader("Authorization");
        ClaimsIdentity identity;
        try {
            // NB: botbuilder's own validation (issuer, audience = our app id, signing key and its endorsement for the
            // channel, lifetime, serviceUrl claim); without an app id it lets only a call with no header through
            identity = JwtTokenValidation.authenticateRequest(activity, authorization == null ? "" : authorization,
                    credentials, channels, configuration).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            refuse(response, e.getCause() == null ? e : e.getCause());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(response, e);
            return;
        } catch (TimeoutException | RuntimeException e) {
            refuse(response, e);
            return;
        }
        if (identity == null) {
            refuse(response, new IllegalStateException("no identity"));
            return;
        }
        // botbuilder keeps only string claims as text (a number such as exp is null): those are left out
        Map<String, String> claims = new java.util.TreeMap<>();
        if (identity.claims() != null) {
            identity.claims().forEach((k, v) -> {
                if (k != null && v != null) {
                    claims.put(k, v);
                }
            });
        }
        boolean anonymous = !identity.isAuthenticated() || claims.isEmpty();
        String appId = anonymous ? null : claims.get("aud");
        onAuthenticated.accept(new Caller(appId, anonymous, java.util.Collections.unmodifiableMap(claims)));
        // NB: what was proven travels with the request; the endpoint acts on exactly this activity and identity, never
        // on a body parsed again
        request.setAttribute(AUTHENTICATED, new TeamsEndpoint.Authenticated(activity, identity));
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, Throwable e) throws IOException {
        LOG.warn("rejected a Teams request without a valid Bot Framework token: {}", e.getMessage());
        unauthorized(response);
    }

    /** The 401 problem for a request without a valid Bot Framework token (also the security chain's entry point). */
    public static void unauthorized(HttpServletResponse response) throws IOException {
        write(response, 401, TeamsEndpoint.UNAUTHORIZED);
    }

    private static void write(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType(PROBLEM);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }
}
