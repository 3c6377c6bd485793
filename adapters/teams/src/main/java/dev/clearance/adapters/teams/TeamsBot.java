package dev.clearance.adapters.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.bot.builder.ActivityHandler;
import com.microsoft.bot.builder.TurnContext;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.AdaptiveCardInvokeResponse;
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
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.Notification;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.RequestView;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.ChatCommand;
import dev.clearance.core.service.Commands;
import dev.clearance.core.service.RequestPermissions;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Every Teams interaction, in one place: installs and messages (conversation references, bot commands) and
 * {@code adaptiveCard/action} invokes (Approve, Deny, justification, the request form). Each maps the Teams user
 * to an email and calls one application service, which re-checks everything against the store.
 */
public final class TeamsBot extends ActivityHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TeamsBot.class);
    static final int PAGE_SIZE = 10;
    static final String USAGE = """
            **Clearance** — just-in-time access. Commands:

            **request** — ask for access (sends a form)

            **pending** [page] — requests waiting (admins: all; approvers: yours to decide; others: your own)

            **show** <id> — details and audit trail

            **cancel** <id> — withdraw your request (or give approved access back)

            **revoke** <id> <reason> — end access early (admins)

            **whoapproves** <resource> <account> — which policy applies and who approves

            **channelid** — in a team channel: its id, to make it an approval channel

            **help** — this text""";

    private final AccessRequestService service;
    private final RequestQueries queries;
    private final RequestViews views;
    private final TeamsConversations conversations;
    private final TeamsConnector connector;
    private final TeamsDeciders deciders;
    private final TeamsIdentities identities;
    private final TeamsGate gate;

    public TeamsBot(AccessRequestService service, RequestQueries queries, RequestViews views, TeamsConversations conversations,
                    TeamsConnector connector, TeamsIdentities identities, TeamsGate gate) {
        this.identities = identities;
        this.gate = gate;
        this.service = service;
        this.queries = queries;
        this.views = views;
        this.conversations = conversations;
        this.connector = connector;
        this.deciders = new TeamsDeciders(connector, conversations);
    }

    @Override
    public CompletableFuture<Void> onTurn(TurnContext turnContext) {
        Activity a = turnContext.getActivity();
        // NB: another tenant's activity is refused before anything is looked up or stored for it
        Optional<String> refused = gate.tenantRefusal(a);
        if (refused.isPresent()) {
            return refuse(turnContext, refused.get());
        }
        rememberChannel(a);
        identities.remember(a);
        return super.onTurn(turnContext);
    }

    /** Tells the sender why nothing happens: a card in place of the clicked one, or a reply to a message. */
    private CompletableFuture<Void> refuse(TurnContext turnContext, String why) {
        Activity a = turnContext.getActivity();
        LOG.info("refused a Teams {} from tenant {} (user {}): not a configured tenant (TEAMS_TENANT_ID)", a.getType(),
                TeamsGate.tenantOf(a), a.getFrom() == null ? null : a.getFrom().getAadObjectId());
        if (com.microsoft.bot.schema.ActivityTypes.INVOKE.equals(a.getType())) {
            Activity response = new Activity(com.microsoft.bot.schema.ActivityTypes.INVOKE_RESPONSE);
            response.setValue("adaptiveCard/action".equals(a.getName())
                    ? new com.microsoft.bot.builder.InvokeResponse(200, cardResponse(TeamsReplies.message("⚠ " + why)))
                    : new com.microsoft.bot.builder.InvokeResponse(403, null));
            return turnContext.sendActivity(response).thenApply(r -> null);
        }
        if (com.microsoft.bot.schema.ActivityTypes.MESSAGE.equals(a.getType())) {
            return turnContext.sendActivity(TeamsConnector.cardActivity(TeamsReplies.message("⚠ " + why), "Clearance"))
                    .thenApply(r -> null);
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Keeps the channel of an activity from a team (the bot added to it, a mention in a channel), so that it can serve
     * as an approval channel: posting there needs the service URL only such an activity brings.
     */
    private void rememberChannel(Activity a) {
        JsonNode data = channelData(a);
        teamChannel(a, data).ifPresent(channelId -> {
            // every click in a channel comes through here: write only what is new (a channel, or its moved service URL)
            if (conversations.channel(channelId).filter(c -> c.serviceUrl().equals(a.getServiceUrl())).isPresent()) {
                return;
            }
            String teamId = textAt(data, "team", "id");
            String teamName = textAt(data, "team", "name");
            String tenant = a.getConversation().getTenantId() != null ? a.getConversation().getTenantId()
                    : textAt(data, "tenant", "id");
            conversations.saveChannel(new TeamsConversations.Channel(channelId, teamId, teamName, tenant, a.getServiceUrl(),
                    a.getRecipient() == null ? null : a.getRecipient().getId()));
            LOG.info("Teams channel {} of team {} is known now; to send approval requests there, use "
                    + "approval-channels: {teams: \"{}\"}", channelId, teamName == null ? teamId : teamName, channelId);
        });
    }

    /** The channel an activity came from: its conversation id without the thread suffix, when in a team. */
    static Optional<String> teamChannel(Activity a) {
        return teamChannel(a, channelData(a));
    }

    private static Optional<String> teamChannel(Activity a, JsonNode data) {
        if (a.getConversation() == null || a.getServiceUrl() == null) {
            return Optional.empty();
        }
        String channel = textAt(data, "channel", "id");
        if (channel == null) {
            // the bot added to a team: the activity comes from the team's General channel, whose id is the team's
            channel = textAt(data, "team", "id");
        }
        if (channel == null && "channel".equals(a.getConversation().getConversationType())) {
            channel = a.getConversation().getId().split(";", 2)[0];
        }
        return Optional.ofNullable(channel);
    }

    private static JsonNode channelData(Activity a) {
        return a.getChannelData() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : Serialization.objectToTree(a.getChannelData());
    }

    private static String textAt(JsonNode node, String object, String field) {
        JsonNode n = node.path(object).path(field);
        return n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    /** NB: the origin is the Entra object id of the authenticated activity's sender, never a field of the card. */
    private static Origin origin(Activity a) {
        String objectId = a.getFrom() == null ? null : a.getFrom().getAadObjectId();
        return Origin.teams(objectId != null && !objectId.isBlank() ? objectId
                : a.getFrom() == null || a.getFrom().getId() == null ? "" : a.getFrom().getId());
    }

    /** The person behind the activity: {@link TeamsIdentities#emailOf}. */
    Optional<UserEmail> identity(Activity a) throws DeliveryException {
        return identities.emailOf(a);
    }

    // ------------------------------------------------------------------ commands

    @Override
    protected CompletableFuture<Void> onMessageActivity(TurnContext turnContext) {
        Map<String, Object> reply = command(turnContext.getActivity());
        return turnContext.sendActivity(TeamsConnector.cardActivity(reply, "Clearance")).thenApply(r -> null);
    }

    Map<String, Object> command(Activity a) {
        ChatCommand cmd = ChatCommand.parse(Optional.ofNullable(a.getText()).orElse("").replaceAll("(?s)<at>.*?</at>", " "));
        String sub = cmd.name();
        if (sub.equals("help")) {
            return TeamsReplies.message(USAGE);
        }
        if (sub.equals("channelid")) {
            return TeamsReplies.message(teamChannel(a).map(id -> "This channel's id, for the policy file: "
                            + "`approval-channels: {teams: \"" + id + "\"}`")
                    .orElse("Ask this in a team channel (with an @mention of Clearance) to see that channel's id."));
        }
        Optional<UserEmail> who;
        try {
            who = identity(a);
        } catch (DeliveryException e) {
            return TeamsReplies.message("Teams did not answer while I looked you up; try again in a moment.");
        }
        if (who.isEmpty()) {
            return TeamsReplies.message(noIdentity());
        }
        UserEmail me = who.get();
        try {
            return switch (sub) {
                case "request" -> TeamsForms.requestForm();
                case "pending" -> pending(me, cmd.page());
                case "show" -> TeamsReplies.show(views.of(queries.getFor(me, cmd.arg(0, "show <id>"))));
                case "cancel" -> {
                    AccessRequest r = service.cancel(cmd.arg(0, "cancel <id>"), me.value(), origin(a));
                    yield TeamsReplies.message(r.status() == Status.CANCELLED ? "Request " + r.id() + " withdrawn."
                            : "Giving back your access for " + r.id() + "; you will get a message when it has ended.");
                }
                case "revoke" -> {
                    AccessRequest r = service.revoke(cmd.arg(0, "revoke <id> <reason>"), me.value(), cmd.rest(1), origin(a));
                    yield TeamsReplies.message("Revoking access for " + r.id() + "; the requester is told when it has ended.");
                }
                case "whoapproves" -> {
                    String resource = cmd.arg(0, "whoapproves <resource> <account>");
                    String account = cmd.arg(1, "whoapproves <resource> <account>");
                    yield TeamsReplies.whoApproves(resource, account, queries.resolve(me.value(), resource, account, Optional.empty()));
                }
                default -> TeamsReplies.message("I don't know **" + sub + "**.\n\n" + USAGE);
            };
        } catch (ClearanceException e) {
            return TeamsReplies.message("⚠ " + e.getMessage());
        }
    }

    private Map<String, Object> pending(UserEmail me, int page) {
        RequestQueries.PendingPage p = queries.pendingPage(me, page, PAGE_SIZE);
        // NB: Approve/Deny only on what the rule lets this person decide now.
        List<String> actionable = p.items().stream()
                .filter(r -> queries.permissionsFor(me, r).allows(RequestPermissions.Action.APPROVE))
                .map(r -> r.id().value()).toList();
        return TeamsReplies.pending(p.items().stream().map(views::of).toList(), actionable, page, p.more());
    }

    // ------------------------------------------------------------------ card actions

    @Override
    protected CompletableFuture<AdaptiveCardInvokeResponse> onAdaptiveCardInvoke(TurnContext turnContext,
                                                                                 AdaptiveCardInvokeValue value) {
        return CompletableFuture.completedFuture(cardResponse(invoke(turnContext.getActivity(), value)));
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
            who = identity(a);
        } catch (DeliveryException e) {
            return notice(requestId, null, "Teams did not answer while I looked you up; try again.");
        }
        if (who.isEmpty()) {
            return notice(requestId, null, noIdentity());
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
                    AccessRequest r = service.decide(new Commands.Decide(requestId, me.value(),
                            verb.equals(Actions.APPROVE) ? "approve" : "deny", field(data, TeamsIds.INPUT_REASON),
                            Optional.ofNullable(field(data, TeamsIds.INPUT_DURATION)), origin(a)));
                    Optional<TeamsConversations.Channel> channel = teamChannel(a).flatMap(conversations::channel);
                    Map<String, Object> card = channel.isPresent()
                            ? TeamsMessages.channelCardFor(views.of(queries.get(r.id().value())), me.value(), refreshUsersOrNone(r, channel.get()))
                            : render(kind, r, me);
                    return r.status() == Status.PENDING ? TeamsMessages.withNotice(card, "Your approval is recorded: " + views.of(r).progress())
                            : card;
                }
                case Actions.PROVIDE_JUSTIFICATION -> {
                    AccessRequest r = service.justify(new Commands.Justify(requestId, me.value(),
                            field(data, TeamsIds.INPUT_JUSTIFICATION), Optional.ofNullable(field(data, TeamsIds.INPUT_DURATION)),
                            origin(a)));
                    return render(kind, r, me);
                }
                case Actions.EXTEND -> {
                    var result = service.extend(new Commands.Extend(requestId, me.value(),
                            field(data, TeamsIds.INPUT_DURATION), field(data, TeamsIds.INPUT_JUSTIFICATION), origin(a)));
                    RequestView extension = views.of(result.request());
                    return TeamsMessages.withNotice(TeamsMessages.status(extension), result.created()
                            ? "Extension " + extension.id() + " asked for; the approvers are asked, and you hear back here."
                            : "Extension " + extension.id() + " is already waiting for approvers.");
                }
                case Actions.DECLINE_JUSTIFICATION -> {
                    return render(kind, service.abandon(requestId, me.value(), origin(a)), me);
                }
                case Actions.SUBMIT_REQUEST -> {
                    var result = service.intake(new Commands.Intake(me.value(), field(data, TeamsIds.INPUT_RESOURCE),
                            field(data, TeamsIds.INPUT_ACCOUNT), Optional.empty(),
                            Optional.ofNullable(field(data, TeamsIds.INPUT_DURATION)),
                            Optional.ofNullable(field(data, TeamsIds.INPUT_JUSTIFICATION)), Optional.of("teams"), Optional.empty(),
                            origin(a)));
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
            me = identity(a);
        } catch (DeliveryException e) {
            return TeamsReplies.message("Teams did not answer while I looked you up; try again.");
        }
        try {
            AccessRequest r = queries.get(requestId);
            Optional<String> channel = teamChannel(a);
            // NB: who sees what comes from the store: the channel must be this request's approval channel.
            boolean inItsChannel = channel.isPresent()
                    && channel.get().equals(queries.approvalChannel(r, TeamsChatChannel.NAME).orElse(null));
            if (!inItsChannel) {
                if (me.isEmpty()) {
                    return TeamsReplies.message(noIdentity());
                }
                r = queries.getFor(me.get(), requestId);
            }
            Optional<TeamsConversations.Channel> known = channel.flatMap(conversations::channel);
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

    private static AdaptiveCardInvokeResponse cardResponse(Map<String, Object> card) {
        AdaptiveCardInvokeResponse response = new AdaptiveCardInvokeResponse();
        response.setStatusCode(200);
        response.setType(TeamsIds.CONTENT_TYPE);
        response.setValue(Serialization.objectToTree(card));
        return response;
    }

    // ------------------------------------------------------------------ helpers

    private static String field(JsonNode data, String name) {
        JsonNode n = data.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String noIdentity() {
        return "I could not find the email address of your Teams account; ask an admin to check your Microsoft 365 profile.";
    }
}
