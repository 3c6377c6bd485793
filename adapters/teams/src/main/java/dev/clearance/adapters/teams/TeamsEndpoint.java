package dev.clearance.adapters.teams;

import com.microsoft.bot.builder.InvokeResponse;
import com.microsoft.bot.connector.authentication.AuthenticationException;
import com.microsoft.bot.connector.authentication.ClaimsIdentity;
import com.microsoft.bot.integration.BotFrameworkHttpAdapter;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /api/messages}, without botbuilder types leaking out: the activity {@link TeamsTokenFilter} parsed and
 * authenticated in the application's security chain is handed to the adapter with its proven identity, and the invoke
 * response comes back as a status and a JSON string.
 */
public final class TeamsEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(TeamsEndpoint.class);
    private final BotFrameworkHttpAdapter adapter;
    private final TeamsBot bot;

    /** An activity and the identity its Bot Framework token proved, as {@link TeamsTokenFilter} leaves them. */
    record Authenticated(Activity activity, ClaimsIdentity identity) {
    }

    public TeamsEndpoint(BotFrameworkHttpAdapter adapter, TeamsBot bot) {
        this.adapter = adapter;
        this.bot = bot;
        adapter.setOnTurnError((turnContext, error) -> {
            LOG.error("Teams turn failed for activity {}", turnContext.getActivity().getType(), error);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
    }

    public record Reply(int status, String body) {
    }

    static final String NOT_AN_ACTIVITY = "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"not a Bot Framework activity\"}";
    static final String NO_TYPE = "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"the activity has no type\"}";
    static final String UNAUTHORIZED = "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"a valid Bot Framework token is required\"}";

    static String forbidden(String detail) {
        return "{\"title\":\"Forbidden\",\"status\":403,\"detail\":"
                + com.fasterxml.jackson.databind.node.TextNode.valueOf(detail) + "}";
    }

    /**
     * Runs the activity that {@link TeamsTokenFilter} authenticated ({@code request.getAttribute(}{@link
     * TeamsTokenFilter#AUTHENTICATED}{@code )}). NB: without one nothing runs: a request that did not pass the filter is
     * refused, whatever reached this endpoint.
     */
    public Reply handle(Object authenticated) {
        if (!(authenticated instanceof Authenticated proven)) {
            LOG.warn("refused a Teams request that the security chain did not authenticate");
            return new Reply(401, UNAUTHORIZED);
        }
        Activity activity = proven.activity();
        try {
            InvokeResponse response = adapter.processActivity(proven.identity(), activity, bot::onTurn).get(60, TimeUnit.SECONDS);
            if (response == null) {
                return new Reply(200, "");
            }
            return new Reply(response.getStatus(), response.getBody() == null ? "" : Serialization.toString(response.getBody()));
        } catch (ExecutionException e) {
            if (isAuthenticationFailure(e.getCause())) {
                return unauthorized(e.getCause());
            }
            LOG.error("Teams activity {} failed", activity.getType(), e.getCause());
            return new Reply(500, "");
        } catch (RuntimeException e) {
            if (isAuthenticationFailure(e)) {
                return unauthorized(e);
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(503, "");
        } catch (TimeoutException e) {
            return new Reply(504, "");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Reply(500, "");
        }
    }

    /** A URL for the log: scheme, host and port only (no user info, path or query), and no line breaks. */
    static String safe(String url) {
        try {
            java.net.URI u = java.net.URI.create(String.valueOf(url).strip());
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return "(not a URL)";
        }
    }

    /** A missing, malformed, expired or wrongly signed token, however deep the SDK wrapped it. */
    private static boolean isAuthenticationFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof com.auth0.jwt.exceptions.JWTVerificationException) {
                return true;
            }
        }
        return false;
    }

    private static Reply unauthorized(Throwable e) {
        LOG.warn("rejected a Teams request without a valid Bot Framework token: {}", e.getMessage());
        return new Reply(401, UNAUTHORIZED);
    }
}
