package dev.clearance.adapters.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.AdaptiveCardInvokeValue;
import com.microsoft.bot.schema.Serialization;
import dev.clearance.cards.Actions;
import dev.clearance.cards.teams.TeamsForms;
import dev.clearance.cards.teams.TeamsIds;
import dev.clearance.cards.teams.TeamsMessages;
import dev.clearance.cards.teams.TeamsReplies;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.view.RequestView;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.Commands;
import dev.clearance.core.service.RequestPermissions;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code adaptiveCard/action} invokes of Clearance's cards (Approve, Deny, justification, extension, the request
 * form, a channel card's refresh): each maps the Teams user to an email and calls one application service, which
 * re-checks everything against the store; the answer is the card to show in place of the clicked one.
 */
final class TeamsCardActions {
    private static final Logger LOG = LoggerFactory.getLogger(TeamsCardActions.class);

    private final AccessRequestService service;
    private final RequestQueries queries;
    private final RequestViews views;
    private final TeamsIdentities identities;
    private final TeamsChannelMemory channels;
    private final TeamsDeciders deciders;

    TeamsCardActions(AccessRequestService service, RequestQueries queries, RequestViews views, TeamsIdentities identities,
                     TeamsChannelMemory channels, TeamsDeciders deciders) {
        this.service = service;
        this.queries = queries;
        this.views = views;
        this.identities = identities;
        this.channels = channels;
        this.deciders = deciders;
    }

    Map<String, Object> invoke(Activity a, AdaptiveCardInvokeValue value) {
        String verb = value.getAction() == null ? "" : Optional.ofNullable(value.getAction().getVerb()).orElse("");
        JsonNode data = value.getAction() == null || value.getAction().getData() == null
                ? Serialization.objectToTree(Map.of()) : Serialization.objectToTree(value.getAction().getData());
        String requestId = field(data, TeamsIds.DATA_REQUEST_ID);
        if (verb.equals(Actions.REFRESH)) {
            return refresh(a, requestId);
        }
        Optional<UserEmail> who;
        try {
            who = identities.emailOf(a);
        } catch (DeliveryException e) {
            return notice(requestId, null, "Teams did not answer while I looked you up; try again.");
        }
        if (who.isEmpty()) {
            return notice(requestId, null, TeamsCommands.noIdentity());
        }
        UserEmail me = who.get();
        NotificationKind kind = verb.equals(Actions.APPROVE) || verb.equals(Actions.DENY) ? NotificationKind.APPROVAL_REQUEST
                : verb.equals(Actions.EXTEND) ? NotificationKind.EXPIRY_NOTICE : NotificationKind.JUSTIFICATION_PROMPT;
        try {
            switch (verb) {
                case Actions.APPROVE, Actions.DENY -> {
                    if (!data.has(TeamsIds.INPUT_REASON)) {
                        // From the pending list, whose buttons carry no inputs: answer with the approval card, where the
                        // reason (and on Approve, the duration) is given. A refusal explains itself the same way.
                        // NB: the refusal comes from the rule the decision re-checks; only someone who may see the
                        // request hears more than that it is refused.
                        RequestPermissions may = queries.permissionsFor(me, requestId);
                        may.require(RequestPermissions.Action.SEE);
                        Optional<String> why = may.whyNot(verb.equals(Actions.APPROVE) ? RequestPermissions.Action.APPROVE
                                : RequestPermissions.Action.DENY);
                        return notice(requestId, kind, why.map(w -> "⚠ " + w)
                                .orElse("Give a reason for your decision, then choose Approve or Deny."), me);
                    }
                    AccessRequest r = service.decide(new Commands.Decide(RequestId.parse(requestId), me,
                            verb.equals(Actions.APPROVE) ? "approve" : "deny", field(data, TeamsIds.INPUT_REASON),
                            Optional.ofNullable(field(data, TeamsIds.INPUT_DURATION)), TeamsCommands.origin(a)));
                    Optional<TeamsConversations.Channel> channel = channels.channelOf(a);
                    Map<String, Object> card = channel.isPresent()
                            ? TeamsMessages.channelCardFor(views.of(queries.get(r.id().value())), me.value(), refreshUsersOrNone(r, channel.get()))
                            : render(kind, r, me);
                    return r.status() == Status.PENDING ? TeamsMessages.withNotice(card, "Your approval is recorded: " + views.of(r).progress())
                            : card;
                }
                case Actions.PROVIDE_JUSTIFICATION -> {
                    AccessRequest r = service.justify(new Commands.Justify(RequestId.parse(requestId), me,
                            field(data, TeamsIds.INPUT_JUSTIFICATION), Optional.ofNullable(field(data, TeamsIds.INPUT_DURATION)),
                            TeamsCommands.origin(a)));
                    return render(kind, r, me);
                }
                case Actions.EXTEND -> {
                    var result = service.extend(new Commands.Extend(RequestId.parse(requestId), me,
                            field(data, TeamsIds.INPUT_DURATION), field(data, TeamsIds.INPUT_JUSTIFICATION), TeamsCommands.origin(a)));
                    RequestView extension = views.of(result.request());
                    return TeamsMessages.withNotice(TeamsMessages.status(extension), result.created()
                            ? "Extension " + extension.id() + " asked for; the approvers are asked, and you hear back here."
                            : "Extension " + extension.id() + " is already waiting for approvers.");
                }
                case Actions.DECLINE_JUSTIFICATION -> {
                    return render(kind, service.abandon(RequestId.parse(requestId), me, TeamsCommands.origin(a)), me);
                }
                case Actions.SUBMIT_REQUEST -> {
                    var result = service.intake(new Commands.Intake(me, field(data, TeamsIds.INPUT_RESOURCE),
                            field(data, TeamsIds.INPUT_ACCOUNT), Optional.empty(),
                            Optional.ofNullable(field(data, TeamsIds.INPUT_DURATION)),
                            Optional.ofNullable(field(data, TeamsIds.INPUT_JUSTIFICATION)), Optional.of("teams"), Optional.empty(),
                            TeamsCommands.origin(a)));
                    Map<String, Object> card = TeamsMessages.status(views.of(result.request()));
                    return result.created() ? card : TeamsMessages.withNotice(card, "You already have this request open.");
                }
                default -> {
                    return TeamsReplies.message("⚠ Unknown action '" + verb + "'.");
                }
            }
        } catch (InvalidInputException e) {
            // NB: a refused click gets its card back unchanged, with the reason on top; nothing changed.
            return verb.equals(Actions.SUBMIT_REQUEST)
                    ? TeamsMessages.withNotice(TeamsForms.requestForm(), "⚠ " + e.getMessage())
                    : notice(requestId, kind, "⚠ " + e.getMessage(), me);
        } catch (ClearanceException e) {
            return notice(requestId, kind, "⚠ " + e.getMessage(), me);
        }
    }

    /**
     * A Universal Actions refresh of an approval channel's card: the viewer gets their own card, with buttons if they
     * may decide now. Everyone in the channel already sees the request; a refresh from anywhere else shows it only to
     * someone who may see it ({@link RequestQueries#getFor}).
     */
    private Map<String, Object> refresh(Activity a, String requestId) {
        Optional<UserEmail> me;
        try {
            me = identities.emailOf(a);
        } catch (DeliveryException e) {
            return TeamsReplies.message("Teams did not answer while I looked you up; try again.");
        }
        try {
            AccessRequest r = queries.get(requestId);
            Optional<String> channel = TeamsChannelMemory.teamChannel(a);
            // NB: who sees what comes from the store: the channel must be this request's approval channel.
            boolean inItsChannel = channel.isPresent()
                    && channel.get().equals(queries.approvalChannel(r, TeamsChatChannel.NAME).orElse(null));
            if (!inItsChannel) {
                if (me.isEmpty()) {
                    return TeamsReplies.message(TeamsCommands.noIdentity());
                }
                r = queries.getFor(me.get(), requestId);
            }
            Optional<TeamsConversations.Channel> known = channel.flatMap(channels::known);
            return TeamsMessages.channelCardFor(views.of(r), me.map(UserEmail::value).orElse(""),
                    known.isPresent() ? refreshUsers(r, known.get()) : List.of());
        } catch (ClearanceException e) {
            return TeamsReplies.message("⚠ " + e.getMessage());
        } catch (DeliveryException e) {
            return TeamsReplies.message("Teams did not answer while I listed the channel's members; try again.");
        }
    }

    /** After a decision was stored the clicker gets a card even if Teams fails now; the channel's update follows anyway. */
    private List<String> refreshUsersOrNone(AccessRequest r, TeamsConversations.Channel channel) {
        try {
            return refreshUsers(r, channel);
        } catch (DeliveryException e) {
            LOG.info("member list of Teams channel {} failed ({}); answering without refresh", channel.channelId(), e.getMessage());
            return List.of();
        }
    }

    private List<String> refreshUsers(AccessRequest r, TeamsConversations.Channel channel) throws DeliveryException {
        return deciders.userIds(views.of(r), channel);
    }

    private Map<String, Object> notice(String requestId, NotificationKind kind, String text) {
        return notice(requestId, kind, text, null);
    }

    private Map<String, Object> notice(String requestId, NotificationKind kind, String text, UserEmail who) {
        try {
            // NB: a refusal shows the request only to someone who may see it (RequestQueries.getFor): a crafted or
            // replayed click by anyone else gets the reason alone, never the requester, resource or justification.
            if (requestId != null && kind != null && who != null) {
                AccessRequest r = queries.getFor(who, requestId);
                // NB: the card sent back offers only what the rule lets this person do now: the requester's own card
                // (justify, extend) goes back only to someone who may still use it, anyone else sees the status.
                return TeamsMessages.withNotice(mayUse(kind, queries.permissionsFor(who, r))
                        ? render(kind, r, who) : TeamsMessages.status(views.of(queries.get(r.id().value()))), text);
            }
        } catch (ClearanceException unknown) {
            LOG.debug("card action on unknown request {}", requestId);
        }
        return TeamsReplies.message(text);
    }

    /** Whether the card of {@code kind} offers this person an action the rule allows now. */
    private static boolean mayUse(NotificationKind kind, RequestPermissions may) {
        return switch (kind) {
            case JUSTIFICATION_PROMPT -> may.allows(RequestPermissions.Action.JUSTIFY) || may.allows(RequestPermissions.Action.ABANDON);
            case EXPIRY_NOTICE -> may.allows(RequestPermissions.Action.EXTEND);
            default -> true;
        };
    }

    private Map<String, Object> render(NotificationKind kind, AccessRequest r, UserEmail forWhom) {
        return TeamsMessages.render(new Notification(kind, Optional.of(views.of(queries.get(r.id().value()))),
                Map.of(RequestView.RECIPIENT, forWhom == null ? "" : forWhom.value())));
    }


    private static String field(JsonNode data, String name) {
        JsonNode n = data.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }
}
