package dev.clearance.core.notify;

import dev.clearance.core.view.RequestView;
import java.util.Map;
import java.util.Optional;

/** What a chat channel renders: the kind, the current view of the request (if any), and extra facts. */
public record Notification(NotificationKind kind, Optional<RequestView> request, Map<String, String> params) {
    /**
     * The outbox message's dedupe key, on every new post: a platform that can keep it with the message (Slack's
     * message metadata) lets a post whose outcome is unknown be found instead of posted again.
     */
    public static final String DEDUPE_KEY = "clearance.dedupeKey";

    public Notification {
        params = Map.copyOf(params);
    }

    public String param(String key) {
        return params.getOrDefault(key, "");
    }
}
