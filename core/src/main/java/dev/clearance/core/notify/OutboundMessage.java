package dev.clearance.core.notify;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;

import java.util.Map;
import java.util.Optional;

/**
 * A message to deliver, written to the outbox in the same transaction as the state change that caused it.
 *
 * @param recipient empty for {@link NotificationKind#REFRESH_COPIES}, which updates every live copy, and for a post to a
 *                  shared channel (params {@value #PLATFORM} and {@value #CONVERSATION})
 * @param dedupeKey unique: enqueuing the same key twice delivers once, and a retry never posts twice
 * @param params    small extra facts for the renderer (e.g. the service of a disabled-service notice)
 */
public record OutboundMessage(NotificationKind kind, Optional<RequestId> requestId, Optional<UserEmail> recipient,
                              String dedupeKey, Map<String, String> params) {
    public static final String PLATFORM = "platform";
    public static final String CONVERSATION = "conversation";

    public OutboundMessage {
        params = Map.copyOf(params);
    }

    /** A message to a shared channel of a chat platform rather than to a person. */
    public static OutboundMessage toChannel(String platform, String conversation, NotificationKind kind, RequestId id,
                                            String dedupeKey) {
        return new OutboundMessage(kind, Optional.of(id), Optional.empty(), dedupeKey,
                Map.of(PLATFORM, platform, CONVERSATION, conversation));
    }

    public static OutboundMessage to(UserEmail recipient, NotificationKind kind, RequestId id, String dedupeKey) {
        return new OutboundMessage(kind, Optional.of(id), Optional.of(recipient), dedupeKey, Map.of());
    }

    public static OutboundMessage refresh(RequestId id, String dedupeKey) {
        return new OutboundMessage(NotificationKind.REFRESH_COPIES, Optional.of(id), Optional.empty(), dedupeKey, Map.of());
    }
}
