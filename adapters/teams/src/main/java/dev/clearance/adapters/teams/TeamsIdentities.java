package dev.clearance.adapters.teams;

import com.microsoft.bot.schema.Activity;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.port.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Who a Teams user is: their Microsoft Entra object id ({@code from.aadObjectId}), and the email the connector's member
 * lookup gives for it (the configured attribute, {@code userPrincipalName} by default), looked up again once it is
 * older than the refresh period. An object id declared in the policy file wins. Also keeps each person's personal
 * conversation (for proactive messages) with that email.
 */
public final class TeamsIdentities {
    private static final Logger LOG = LoggerFactory.getLogger(TeamsIdentities.class);
    private final TeamsConnector connector;
    private final TeamsConversations conversations;
    private final Directory directory;
    private final Clock clock;
    private final Duration refresh;

    public TeamsIdentities(TeamsConnector connector, TeamsConversations conversations, Directory directory, Clock clock,
                           Duration refresh) {
        this.connector = connector;
        this.conversations = conversations;
        this.directory = directory;
        this.clock = clock;
        this.refresh = refresh;
    }

    /** Keeps the personal conversation of whoever talks to the bot, with a confirmed email, for proactive messages. */
    void remember(Activity a) {
        if (a.getFrom() == null || blank(a.getFrom().getAadObjectId()) || a.getConversation() == null
                || !"personal".equals(a.getConversation().getConversationType())) {
            return;
        }
        String aad = a.getFrom().getAadObjectId();
        Optional<TeamsConversations.Reference> known = conversations.byAadObjectId(aad);
        String tenant = Optional.ofNullable(TeamsGate.tenantOf(a)).orElse("");
        TeamsConversations.Reference ref = new TeamsConversations.Reference(aad, tenant, a.getFrom().getId(),
                a.getFrom().getName(), a.getConversation().getId(), a.getServiceUrl(),
                a.getRecipient() == null ? null : a.getRecipient().getId(),
                known.map(TeamsConversations.Reference::email).orElse(null),
                known.map(TeamsConversations.Reference::emailCheckedAt).orElse(null), false);
        Instant now = now();
        if (ref.freshEmail(now, refresh).isEmpty()) {
            // Teams gives the email only through the connector's member lookup; keep it with the reference
            try {
                ref = ref.withEmail(lookUp(a).map(UserEmail::value).orElse(null), now);
            } catch (DeliveryException e) {
                LOG.warn("member lookup for Teams user {} failed; will retry on their next activity: {}", aad, e.getMessage());
            }
        }
        if (known.isPresent() && known.get().equals(ref)) {
            return; // every click comes through here: a write (and its commit) only for what is new
        }
        conversations.save(ref);
    }

    /**
     * The person behind an activity: a declared object id, else the email confirmed by a member lookup within the
     * refresh period (looked up again, and kept, when it is older).
     */
    Optional<UserEmail> emailOf(Activity a) throws DeliveryException {
        // NB: a person is their Entra object id, which the (authenticated) activity carries; no object id, no identity
        if (a.getFrom() == null || blank(a.getFrom().getAadObjectId())) {
            return Optional.empty();
        }
        String aad = a.getFrom().getAadObjectId();
        Optional<UserEmail> declared = directory.byChatIdentity(TeamsChatChannel.NAME, aad);
        if (declared.isPresent()) {
            return declared;
        }
        Instant now = now();
        Optional<TeamsConversations.Reference> ref = conversations.byAadObjectId(aad);
        Optional<String> fresh = ref.flatMap(r -> r.freshEmail(now, refresh));
        if (fresh.isPresent()) {
            return UserEmail.tryParse(fresh.get());
        }
        Optional<UserEmail> email = lookUp(a);
        if (ref.isPresent()) {
            conversations.save(ref.get().withEmail(email.map(UserEmail::value).orElse(null), now));
        }
        return email;
    }

    /**
     * A stored conversation whose email is confirmed within the refresh period: looked up again (in that conversation)
     * and kept when it is older, so that messages for a person never go on to someone whose email has changed.
     */
    TeamsConversations.Reference confirmed(TeamsConversations.Reference ref) throws DeliveryException {
        Instant now = now();
        if (ref.freshEmail(now, refresh).isPresent()) {
            return ref;
        }
        Optional<TeamsConnector.Member> member = connector.member(ref.serviceUrl(), ref.conversationId(), ref.userId());
        // NB: as for an activity, only a lookup about this conversation's own object gives its email
        String email = member.filter(m -> m.objectId() == null || m.objectId().equalsIgnoreCase(ref.aadObjectId()))
                .flatMap(m -> UserEmail.tryParse(m.email())).map(UserEmail::value).orElse(null);
        TeamsConversations.Reference updated = ref.withEmail(email, now);
        conversations.save(updated);
        return updated;
    }

    /** The member lookup's email for the activity's sender, if the lookup describes that same Entra object. */
    private Optional<UserEmail> lookUp(Activity a) throws DeliveryException {
        String aad = a.getFrom().getAadObjectId();
        Optional<TeamsConnector.Member> member = connector.member(a.getServiceUrl(), a.getConversation().getId(),
                a.getFrom().getId());
        // NB: the answer must be about the sender's own object id, or it is nobody's email
        if (member.isPresent() && member.get().objectId() != null && !member.get().objectId().equalsIgnoreCase(aad)) {
            LOG.warn("the member lookup for Teams user {} described object {}; no identity", aad, member.get().objectId());
            return Optional.empty();
        }
        return member.flatMap(m -> UserEmail.tryParse(m.email()));
    }

    private Instant now() {
        // the store keeps microseconds: a time it gives back must equal the one kept
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
