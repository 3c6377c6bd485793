package dev.clearance.adapters.slack;

import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.Message;
import com.slack.api.model.User;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.port.MessageRef;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Slack Web API calls Clearance makes, through the SDK's methods client, with Slack's failures sorted into
 * retryable (429 with Retry-After, {@code ratelimited}, 5xx, network) and permanent ({@code user_not_found}, …).
 */
public final class SlackApi {
    public static final String CHANNEL = "slack";
    private static final Set<String> RETRYABLE = Set.of("ratelimited", "internal_error", "fatal_error",
            "service_unavailable", "request_timeout", "team_added_to_org");
    static final JsonMapper JSON = JsonMapper.builder().build();
    private final Slack slack;
    private final MethodsClient methods;
    private final Set<String> responseHosts;

    /**
     * @param extraResponseHosts hosts besides Slack's own that an interaction's {@code response_url} may name: the
     *                           configured API host, so that a fake Slack in tests receives the replies too
     */
    public SlackApi(Slack slack, String botToken, Set<String> extraResponseHosts) {
        this.slack = slack;
        this.methods = slack.methods(botToken);
        this.responseHosts = new java.util.HashSet<>(extraResponseHosts);
        this.responseHosts.add("hooks.slack.com");
    }

    /**
     * Answers an interaction through its {@code response_url}: an ephemeral reply that reaches the clicker in any
     * conversation, including ones the bot is not a member of (where chat.postEphemeral says not_in_channel).
     */
    public void respond(String responseUrl, Map<String, Object> message) throws DeliveryException {
        URI uri;
        try {
            uri = URI.create(responseUrl);
        } catch (IllegalArgumentException e) {
            throw DeliveryException.permanent("response_url is not a URL");
        }
        // NB: the payload is signed by Slack, but only ever call Slack's own hosts with it
        if (uri.getHost() == null || !responseHosts.contains(uri.getHost())) {
            throw DeliveryException.permanent("response_url host " + uri.getHost() + " is not Slack's");
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("response_type", "ephemeral");
        body.put("replace_original", false);
        body.putAll(message);
        try {
            var response = slack.send(responseUrl, JSON.writeValueAsString(body));
            if (response.getCode() != 200) {
                throw response.getCode() >= 500 || response.getCode() == 429
                        ? DeliveryException.retryable("response_url answered " + response.getCode(), null)
                        : DeliveryException.permanent("response_url answered " + response.getCode());
            }
        } catch (IOException e) {
            throw DeliveryException.retryable("response_url: " + e.getMessage(), null);
        }
    }

    /**
     * A user as {@code users.info} describes them, with what says where they belong: their home workspace
     * ({@code team_id}), their Enterprise Grid organisation ({@code enterprise_user.enterprise_id}), and whether Slack
     * calls them a stranger (someone from another organisation this workspace does not share a channel with).
     */
    public record SlackUser(String id, Optional<String> email, String name, String teamId, String enterpriseId,
                            boolean stranger) {
    }

    /** The workspace (and Enterprise Grid organisation, if any) the bot token belongs to, from {@code auth.test}. */
    public record Workspace(String teamId, String enterpriseId, String name) {
    }

    public Workspace authTest() throws DeliveryException {
        var r = call("auth.test", () -> methods.authTest(req -> req));
        return new Workspace(r.getTeamId(), r.getEnterpriseId(), r.getTeam());
    }

    public String openDm(String userId) throws DeliveryException {
        return call("conversations.open", () -> methods.conversationsOpen(r -> r.users(List.of(userId))))
                .getChannel().getId();
    }

    /** The metadata event type under which posts carry their outbox dedupe key. */
    static final String METADATA_EVENT = "clearance_message";
    static final String METADATA_KEY = "dedupe_key";
    /** How far our clock may run ahead of Slack's before a search for an earlier post would miss it. */
    static final java.time.Duration CLOCK_SKEW_ALLOWANCE = java.time.Duration.ofMinutes(5);

    /** Posts {@code {"text", "blocks"}} from a card renderer. */
    public MessageRef post(String channel, Map<String, Object> message) throws DeliveryException {
        return post(channel, message, null);
    }

    /** Posts, keeping {@code dedupeKey} in the message's metadata so that {@link #findPosted} can find it later. */
    public MessageRef post(String channel, Map<String, Object> message, String dedupeKey) throws DeliveryException {
        var response = call("chat.postMessage", () -> methods.chatPostMessage(r -> {
            r.channel(channel).text((String) message.get("text"))
                    .blocksAsString(JSON.writeValueAsString(message.get("blocks")));
            if (dedupeKey != null && !dedupeKey.isEmpty()) {
                r.metadata(Message.Metadata.builder().eventType(METADATA_EVENT)
                        .eventPayload(Map.of(METADATA_KEY, dedupeKey)).build());
            }
            return r;
        }));
        return new MessageRef(CHANNEL, response.getChannel(), response.getTs());
    }

    /**
     * A message in {@code channel} since {@code since} whose metadata carries {@code dedupeKey}: a post made by a
     * process that died before recording it. Reads the conversation's history (needs the *:history scopes).
     */
    public Optional<MessageRef> findPosted(String channel, String dedupeKey, Instant since) throws DeliveryException {
        // NB: never post twice. `since` is our clock and a ts is Slack's: read from a little earlier, so that a clock
        // of ours running ahead of Slack's cannot hide the post. Dedupe keys are unique, so older posts never match.
        Instant from = since.minus(CLOCK_SKEW_ALLOWANCE);
        String oldest = from.getEpochSecond() + "." + String.format("%06d", from.getNano() / 1000);
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            String pageCursor = cursor;
            var history = call("conversations.history", () -> methods.conversationsHistory(r -> r.channel(channel)
                    .oldest(oldest).inclusive(true).limit(200).includeAllMetadata(true).cursor(pageCursor)));
            for (Message m : history.getMessages() == null ? List.<Message>of() : history.getMessages()) {
                Message.Metadata meta = m.getMetadata();
                if (meta != null && METADATA_EVENT.equals(meta.getEventType()) && meta.getEventPayload() != null
                        && dedupeKey.equals(String.valueOf(meta.getEventPayload().get(METADATA_KEY)))) {
                    return Optional.of(new MessageRef(CHANNEL, channel, m.getTs()));
                }
            }
            cursor = history.getResponseMetadata() == null ? null : history.getResponseMetadata().getNextCursor();
            if (cursor == null || cursor.isEmpty()) {
                break;
            }
        }
        return Optional.empty();
    }

    public void update(MessageRef ref, Map<String, Object> message) throws DeliveryException {
        call("chat.update", () -> methods.chatUpdate(r -> r.channel(ref.conversationId()).ts(ref.messageId())
                .text((String) message.get("text")).blocksAsString(JSON.writeValueAsString(message.get("blocks")))));
    }

    public void postEphemeral(String channel, String user, Map<String, Object> message) throws DeliveryException {
        call("chat.postEphemeral", () -> methods.chatPostEphemeral(r -> r.channel(channel).user(user)
                .text((String) message.get("text")).blocksAsString(JSON.writeValueAsString(message.get("blocks")))));
    }

    public void openView(String triggerId, Map<String, Object> view) throws DeliveryException {
        call("views.open", () -> methods.viewsOpen(r -> r.triggerId(triggerId).viewAsString(JSON.writeValueAsString(view))));
    }

    /** Redraws an open modal; {@code hash} makes Slack refuse the update if the view changed meanwhile. */
    public void updateView(String viewId, String hash, Map<String, Object> view) throws DeliveryException {
        call("views.update", () -> methods.viewsUpdate(r -> r.viewId(viewId).hash(hash).viewAsString(JSON.writeValueAsString(view))));
    }

    public Optional<SlackUser> userInfo(String userId) throws DeliveryException {
        try {
            User u = call("users.info", () -> methods.usersInfo(r -> r.user(userId))).getUser();
            return Optional.of(user(u));
        } catch (DeliveryException e) {
            if (!e.isRetryable()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static SlackUser user(User u) {
        String enterprise = u.getEnterpriseUser() != null ? u.getEnterpriseUser().getEnterpriseId() : u.getEnterpriseId();
        return new SlackUser(u.getId(), Optional.ofNullable(u.getProfile() == null ? null : u.getProfile().getEmail())
                .filter(e -> !e.isBlank()), Optional.ofNullable(u.getRealName()).orElse(u.getName()), u.getTeamId(),
                enterprise, u.isStranger());
    }

    public Optional<SlackUser> lookupByEmail(String email) throws DeliveryException {
        try {
            return Optional.of(user(call("users.lookupByEmail", () -> methods.usersLookupByEmail(r -> r.email(email))).getUser()));
        } catch (DeliveryException e) {
            if (!e.isRetryable()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private interface Call<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    private static <T extends SlackApiTextResponse> T call(String method, Call<T> call) throws DeliveryException {
        T response;
        try {
            response = call.run();
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            if (status == 429) {
                String header = e.getResponse().header("Retry-After");
                Duration wait = header == null ? null : Duration.ofSeconds(parseSeconds(header));
                throw DeliveryException.retryable(method + ": rate limited (HTTP 429)", wait);
            }
            if (status >= 500) {
                throw DeliveryException.retryable(method + ": HTTP " + status, null);
            }
            throw DeliveryException.permanent(method + ": HTTP " + status);
        } catch (IOException e) {
            throw DeliveryException.retryable(method + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), null);
        }
        if (!response.isOk()) {
            String error = response.getError();
            throw RETRYABLE.contains(error)
                    ? DeliveryException.retryable(method + ": " + error, null)
                    : DeliveryException.permanent(method + ": " + error);
        }
        return response;
    }

    private static long parseSeconds(String header) {
        try {
            return Math.max(1, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return 30;
        }
    }
}
