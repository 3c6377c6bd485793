package dev.clearance.adapters.teams;

import com.microsoft.bot.connector.authentication.MicrosoftAppCredentials;
import com.microsoft.bot.connector.rest.RestConnectorClient;
import com.microsoft.bot.restclient.RestException;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.Attachment;
import com.microsoft.bot.schema.ChannelAccount;
import com.microsoft.bot.schema.ResourceResponse;
import com.microsoft.bot.schema.Serialization;
import dev.clearance.cards.teams.TeamsIds;
import dev.clearance.core.port.ChatChannel.DeliveryException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls to the Bot Connector service of a conversation's {@code serviceUrl}: send, update, member lookup. Failures are
 * sorted into retryable (429, 412, 502, 504, other 5xx, network; Retry-After honoured) and permanent (403
 * MessageWritesBlocked, 404, …). At most {@value #PER_SECOND} messages a second go to one conversation; more are
 * handed back for a retry a moment later.
 */
public final class TeamsConnector {
    static final int PER_SECOND = 7;
    static final String BLOCKED = "the user blocked or uninstalled the bot (MessageWritesBlocked)";
    private static final long TIMEOUT_SECONDS = 30;
    /** The member lookup's attributes that may serve as a person's email ({@code TEAMS_EMAIL_ATTRIBUTE}). */
    public static final List<String> EMAIL_ATTRIBUTES = List.of("userPrincipalName", "email");
    private final MicrosoftAppCredentials credentials;
    private final Clock clock;
    private final String emailAttribute;
    private final Map<String, RestConnectorClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> recentSends = new ConcurrentHashMap<>();

    public TeamsConnector(MicrosoftAppCredentials credentials, Clock clock) {
        this(credentials, clock, "userPrincipalName");
    }

    /**
     * @param emailAttribute which attribute of a member is their email: {@code userPrincipalName} (unique in the
     *                       tenant, on a verified domain) or {@code email} (Entra's {@code mail}, which an administrator
     *                       can set to anything)
     */
    public TeamsConnector(MicrosoftAppCredentials credentials, Clock clock, String emailAttribute) {
        if (!EMAIL_ATTRIBUTES.contains(emailAttribute)) {
            throw new IllegalArgumentException("TEAMS_EMAIL_ATTRIBUTE must be one of " + EMAIL_ATTRIBUTES + ", was '"
                    + emailAttribute + "'");
        }
        this.credentials = credentials;
        this.clock = clock;
        this.emailAttribute = emailAttribute;
    }

    /** @param objectId the member's Entra object id, when the lookup gives it */
    public record Member(String objectId, String email, String name) {
    }

    /** Sends a card to a conversation; returns the activity id to update it later. */
    public String send(String serviceUrl, String conversationId, Map<String, Object> card, String summary) throws DeliveryException {
        throttle(conversationId);
        Activity activity = cardActivity(card, summary);
        ResourceResponse r = await("send", () -> client(serviceUrl).getConversations().sendToConversation(conversationId, activity).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return r == null || r.getId() == null ? "" : r.getId();
    }

    public void update(String serviceUrl, String conversationId, String activityId, Map<String, Object> card, String summary)
            throws DeliveryException {
        throttle(conversationId);
        Activity activity = cardActivity(card, summary);
        activity.setId(activityId);
        await("update", () -> client(serviceUrl).getConversations().updateActivity(conversationId, activityId, activity)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    /**
     * {@code GET {serviceUrl}/v3/conversations/{id}/members/{userId}}: where Teams gives the user's email (the configured
     * attribute only: no fallback to the other one).
     */
    public Optional<Member> member(String serviceUrl, String conversationId, String userId) throws DeliveryException {
        ChannelAccount account = await("member lookup", () -> client(serviceUrl).getConversations()
                .getConversationMember(userId, conversationId).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        if (account == null) {
            return Optional.empty();
        }
        String email = text(account, emailAttribute).orElse(null);
        String objectId = text(account, "objectId").orElse(account.getAadObjectId());
        return email == null ? Optional.empty() : Optional.of(new Member(objectId, email, account.getName()));
    }

    /** Everyone in the conversation (for a channel: its team) with their Teams user id, by lower-case email. */
    public Map<String, String> memberIdsByEmail(String serviceUrl, String conversationId) throws DeliveryException {
        List<ChannelAccount> accounts = await("member list", () -> client(serviceUrl).getConversations()
                .getConversationMembers(conversationId).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (ChannelAccount account : accounts == null ? List.<ChannelAccount>of() : accounts) {
            text(account, emailAttribute)
                    .ifPresent(email -> ids.putIfAbsent(email.toLowerCase(java.util.Locale.ROOT), account.getId()));
        }
        return ids;
    }

    public static Activity cardActivity(Map<String, Object> card, String summary) {
        Attachment attachment = new Attachment();
        attachment.setContentType(TeamsIds.CONTENT_TYPE);
        attachment.setContent(Serialization.objectToTree(card));
        Activity activity = Activity.createMessageActivity();
        activity.setAttachments(List.of(attachment));
        activity.setSummary(summary);
        return activity;
    }

    private static Optional<String> text(ChannelAccount account, String property) {
        var node = account.getProperties().get(property);
        return node == null || node.isNull() || node.asText().isBlank() ? Optional.empty() : Optional.of(node.asText());
    }

    private RestConnectorClient client(String serviceUrl) {
        return clients.computeIfAbsent(serviceUrl, url -> new RestConnectorClient(url, credentials));
    }

    void throttle(String conversationId) throws DeliveryException {
        Instant now = clock.instant();
        Deque<Instant> sends = recentSends.computeIfAbsent(conversationId, c -> new ArrayDeque<>());
        synchronized (sends) {
            while (!sends.isEmpty() && !sends.peekFirst().isAfter(now.minusSeconds(1))) {
                sends.pollFirst();
            }
            if (sends.size() >= PER_SECOND) {
                throw DeliveryException.retryable("more than " + PER_SECOND + " messages a second to " + conversationId,
                        Duration.ofSeconds(1));
            }
            sends.addLast(now);
        }
    }

    private interface Call<T> {
        T run() throws InterruptedException, ExecutionException, TimeoutException;
    }

    private static <T> T await(String what, Call<T> call) throws DeliveryException {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.retryable(what + " interrupted", null);
        } catch (TimeoutException e) {
            throw DeliveryException.retryable(what + " timed out", null);
        } catch (ExecutionException e) {
            throw classify(what, e.getCause());
        } catch (RestException e) {
            throw classify(what, e);
        }
    }

    static DeliveryException classify(String what, Throwable cause) {
        Throwable c = cause;
        while (c != null && !(c instanceof RestException) && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        if (c instanceof RestException rest && rest.response() != null) {
            int status = rest.response().code();
            String body = errorBody(rest);
            if (status == 429 || status == 412 || status == 502 || status == 504 || status >= 500) {
                String retryAfter = rest.response().headers().get("Retry-After");
                return DeliveryException.retryable(what + ": HTTP " + status, retryAfter == null ? null : Duration.ofSeconds(seconds(retryAfter)));
            }
            if (status == 403) {
                // The SDK consumes the error body, so the MessageWritesBlocked sub-code is not always readable; a 403 on a
                // personal conversation means the user blocked or uninstalled the bot.
                return DeliveryException.permanent(what + ": " + BLOCKED + " (HTTP 403" + (body.isEmpty() || body.equals("{}") ? "" : " " + truncate(body)) + ")");
            }
            return DeliveryException.permanent(what + ": HTTP " + status + (body.isEmpty() ? "" : " " + truncate(body)));
        }
        return DeliveryException.retryable(what + ": " + (cause == null ? "failed" : cause.getClass().getSimpleName() + " "
                + cause.getMessage()), null);
    }

    private static String errorBody(RestException rest) {
        Object body = rest.body();
        if (body != null) {
            return Serialization.toStringSilent(body);
        }
        try (var raw = rest.response().errorBody()) {
            return raw == null ? "" : raw.string();
        } catch (java.io.IOException | IllegalStateException e) {
            return "";
        }
    }

    private static long seconds(String header) {
        try {
            return Math.max(1, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return 5;
        }
    }

    private static String truncate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
