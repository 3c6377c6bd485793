package dev.clearance.adapters.teams;

import dev.clearance.core.model.UserEmail;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a Teams user can be reached: the personal conversation captured when they installed the bot or wrote to
 * it, keyed by AAD object id and tenant. Persisted by the application (a port of this adapter).
 */
public interface TeamsConversations {
    /**
     * @param userId         the Teams user id ({@code 29:…}) in that conversation
     * @param conversationId the personal conversation ({@code a:…})
     * @param email          from the connector's member lookup (the configured attribute); null until known
     * @param emailCheckedAt when that lookup last confirmed the email; null: never (looked up at the next activity)
     * @param blocked        the user blocked or uninstalled the bot (403 MessageWritesBlocked)
     */
    record Reference(String aadObjectId, String tenantId, String userId, String userName, String conversationId,
                     String serviceUrl, String botId, String email, Instant emailCheckedAt, boolean blocked) {
        public Reference withEmail(String e, Instant checkedAt) {
            return new Reference(aadObjectId, tenantId, userId, userName, conversationId, serviceUrl, botId, e, checkedAt,
                    blocked);
        }

        public Reference withBlocked(boolean b) {
            return new Reference(aadObjectId, tenantId, userId, userName, conversationId, serviceUrl, botId, email,
                    emailCheckedAt, b);
        }

        /** The email, if a lookup confirmed it less than {@code ttl} before {@code now}. */
        public Optional<String> freshEmail(Instant now, java.time.Duration ttl) {
            return email != null && emailCheckedAt != null && now.isBefore(emailCheckedAt.plus(ttl))
                    ? Optional.of(email) : Optional.empty();
        }
    }

    /** Inserts or replaces the reference of (aadObjectId, tenantId). */
    void save(Reference reference);

    Optional<Reference> byAadObjectId(String aadObjectId);

    Optional<Reference> byEmail(UserEmail email);

    Optional<Reference> byConversationId(String conversationId);

    /**
     * A channel of a team the bot is in: where an approval channel ({@code approval-channels: {teams: <channelId>}})
     * is posted.
     *
     * @param channelId the channel's conversation id ({@code 19:…@thread.tacv2}; the General channel's is the team's)
     */
    record Channel(String channelId, String teamId, String teamName, String tenantId, String serviceUrl, String botId) {
    }

    /** Inserts or replaces the channel of that id. */
    void saveChannel(Channel channel);

    Optional<Channel> channel(String channelId);
}
