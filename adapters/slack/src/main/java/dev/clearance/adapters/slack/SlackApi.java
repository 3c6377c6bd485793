package dev.clearance.adapters.slack;

import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.User;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.port.MessageRef;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
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
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final MethodsClient methods;

    public SlackApi(Slack slack, String botToken) {
        this.methods = slack.methods(botToken);
    }

    public record SlackUser(String id, Optional<String> email, String name) {
    }

    public String openDm(String userId) throws DeliveryException {
        return call("conversations.open", () -> methods.conversationsOpen(r -> r.users(List.of(userId))))
                .getChannel().getId();
    }

    /** Posts {@code {"text", "blocks"}} from a card renderer. */
    public MessageRef post(String channel, Map<String, Object> message) throws DeliveryException {
        var response = call("chat.postMessage", () -> methods.chatPostMessage(r -> r.channel(channel)
                .text((String) message.get("text")).blocksAsString(JSON.writeValueAsString(message.get("blocks")))));
        return new MessageRef(CHANNEL, response.getChannel(), response.getTs());
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
            return Optional.of(new SlackUser(u.getId(), Optional.ofNullable(u.getProfile().getEmail()).filter(e -> !e.isBlank()),
                    Optional.ofNullable(u.getRealName()).orElse(u.getName())));
        } catch (DeliveryException e) {
            if (!e.isRetryable()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Optional<String> lookupByEmail(String email) throws DeliveryException {
        try {
            return Optional.of(call("users.lookupByEmail", () -> methods.usersLookupByEmail(r -> r.email(email))).getUser().getId());
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
