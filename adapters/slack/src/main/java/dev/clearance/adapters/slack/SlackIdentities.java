package dev.clearance.adapters.slack;

import dev.clearance.core.model.Person;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.port.Directory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slack user id ⇄ email. Declared identities (policy file) win; otherwise {@code users.info} and
 * {@code users.lookupByEmail}, cached for a while. No match means no identity: never a guess.
 */
public final class SlackIdentities {
    private record Cached(Optional<String> value, Instant until) {
    }

    private final SlackApi api;
    private final Directory directory;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Cached> emailsById = new ConcurrentHashMap<>();
    private final Map<String, Cached> idsByEmail = new ConcurrentHashMap<>();
    private final Map<String, Cached> dmByUser = new ConcurrentHashMap<>();

    public SlackIdentities(SlackApi api, Directory directory, Clock clock, Duration ttl) {
        this.api = api;
        this.directory = directory;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The Clearance identity behind a Slack user, if their Slack profile or the policy file gives an email. */
    public Optional<UserEmail> emailOf(String slackUserId) throws DeliveryException {
        Optional<UserEmail> declared = directory.byChatIdentity(SlackApi.CHANNEL, slackUserId);
        if (declared.isPresent()) {
            return declared;
        }
        Optional<String> email = cached(emailsById, slackUserId);
        if (email == null) {
            email = api.userInfo(slackUserId).flatMap(SlackApi.SlackUser::email);
            put(emailsById, slackUserId, email);
        }
        return email.flatMap(SlackIdentities::parse);
    }

    public Optional<String> userIdOf(Person person) throws DeliveryException {
        Optional<String> declared = person.chatIdentity(SlackApi.CHANNEL);
        if (declared.isPresent()) {
            return declared;
        }
        String email = person.email().value();
        Optional<String> id = cached(idsByEmail, email);
        if (id == null) {
            id = api.lookupByEmail(email);
            put(idsByEmail, email, id);
        }
        return id;
    }

    /** The DM channel with a user (opened once, then remembered). */
    public String dmChannel(String userId) throws DeliveryException {
        Optional<String> channel = cached(dmByUser, userId);
        if (channel == null || channel.isEmpty()) {
            channel = Optional.of(api.openDm(userId));
            dmByUser.put(userId, new Cached(channel, clock.instant().plus(Duration.ofDays(1))));
        }
        return channel.get();
    }

    private Optional<String> cached(Map<String, Cached> cache, String key) {
        Cached c = cache.get(key);
        return c == null || clock.instant().isAfter(c.until()) ? null : c.value();
    }

    private void put(Map<String, Cached> cache, String key, Optional<String> value) {
        cache.put(key, new Cached(value, clock.instant().plus(ttl)));
    }

    private static Optional<UserEmail> parse(String email) {
        try {
            return Optional.of(UserEmail.of(email));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
