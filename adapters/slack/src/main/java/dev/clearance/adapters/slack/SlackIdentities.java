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
 * {@code users.lookupByEmail}, cached for a while. No match means no identity: never a guess. Only members of our
 * organisation ({@link SlackMembership}) have one.
 */
public final class SlackIdentities {
    private record Cached(Optional<String> value, Instant until) {
    }

    /**
     * Who acts, as Slack's signed payload says: the user, their home workspace ({@code user.team_id}, or a slash
     * command's {@code team_id}) and the payload's organisation ({@code enterprise.id} / {@code enterprise_id}).
     */
    public record Caller(String userId, String teamId, String enterpriseId) {
    }

    private final SlackApi api;
    private final SlackMembership membership;
    private final Directory directory;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Cached> emailsById = new ConcurrentHashMap<>();
    /** users.info's verdict on a user not of ours (the refusal), cached as long as their email would be */
    private final Map<String, Cached> refusalsById = new ConcurrentHashMap<>();
    private final Map<String, Cached> idsByEmail = new ConcurrentHashMap<>();
    private final Map<String, Cached> dmByUser = new ConcurrentHashMap<>();

    public SlackIdentities(SlackApi api, SlackMembership membership, Directory directory, Clock clock, Duration ttl) {
        this.api = api;
        this.membership = membership;
        this.directory = directory;
        this.clock = clock;
        this.ttl = ttl;
    }

    /**
     * The Clearance identity behind the Slack user who acts, if they are a member of our organisation and their Slack
     * profile or the policy file gives an email.
     *
     * @throws SlackMembership.Refused the user belongs to another workspace or organisation
     */
    public Optional<UserEmail> emailOf(Caller caller) throws DeliveryException, SlackMembership.Refused {
        // NB: the signed payload's team first, before anything is looked up or done for the user
        membership.checkPayload(caller.teamId(), caller.enterpriseId());
        String slackUserId = caller.userId();
        Optional<UserEmail> declared = directory.byChatIdentity(SlackApi.CHANNEL, slackUserId);
        if (declared.isPresent()) {
            return declared; // an admin pinned this Slack id to a person in the policy file
        }
        Optional<String> email = cached(emailsById, slackUserId);
        Optional<String> refused = cached(refusalsById, slackUserId);
        if (email == null || refused == null) {
            Optional<SlackApi.SlackUser> user = api.userInfo(slackUserId);
            refused = Optional.empty();
            if (user.isPresent()) {
                try {
                    // NB: Slack's own account of the user: their home team, their organisation, a stranger or not
                    membership.checkUser(user.get());
                } catch (SlackMembership.Refused e) {
                    refused = Optional.of(e.getMessage());
                }
            }
            email = refused.isPresent() ? Optional.empty() : user.flatMap(SlackApi.SlackUser::email);
            put(emailsById, slackUserId, email);
            put(refusalsById, slackUserId, refused);
        }
        if (refused.isPresent()) {
            throw new SlackMembership.Refused(refused.get());
        }
        return email.flatMap(UserEmail::tryParse);
    }

    public Optional<String> userIdOf(Person person) throws DeliveryException {
        Optional<String> declared = person.chatIdentity(SlackApi.CHANNEL);
        if (declared.isPresent()) {
            return declared;
        }
        String email = person.email().value();
        Optional<String> id = cached(idsByEmail, email);
        if (id == null) {
            Optional<SlackApi.SlackUser> user = api.lookupByEmail(email);
            // NB: messages for a person go only to a member of our organisation with that email, never an outsider's
            id = user.isPresent() && membership.isOurs(user.get()) ? Optional.of(user.get().id()) : Optional.empty();
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
}
