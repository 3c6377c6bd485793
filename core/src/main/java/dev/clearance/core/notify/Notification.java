package dev.clearance.core.notify;

import java.util.Map;
import java.util.Optional;

/** What a chat channel renders: the kind, the current view of the request (if any), and extra facts. */
public record Notification(NotificationKind kind, Optional<RequestView> request, Map<String, String> params) {
    public Notification {
        params = Map.copyOf(params);
    }

    public String param(String key) {
        return params.getOrDefault(key, "");
    }
}
