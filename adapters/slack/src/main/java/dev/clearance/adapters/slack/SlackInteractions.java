package dev.clearance.adapters.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.ViewState;
import dev.clearance.cards.Actions;
import dev.clearance.cards.slack.SlackIds;
import dev.clearance.cards.slack.SlackModals;
import dev.clearance.cards.slack.SlackReplies;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.UserEmail;
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
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every Slack interaction, in one place: the {@code /access} command, the buttons and the modal submissions. Each
 * handler maps the Slack user to an email and calls one application service; the service re-checks everything
 * against the store. Handlers only write to the database (chat messages go through the outbox) or open a modal,
 * so they answer well within Slack's three seconds. A click that only opens or redraws a form is acked first and
 * does its work just after (on {@code afterAck}); a click or form that changes something is acked only once the
 * change is stored.
 */
public final class SlackInteractions {
    private static final Logger LOG = LoggerFactory.getLogger(SlackInteractions.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int PAGE_SIZE = 10;

    private final AccessRequestService service;
    private final RequestQueries queries;
    private final RequestViews views;
    private final SlackIdentities identities;
    private final SlackApi api;
    private final java.util.concurrent.Executor afterAck;

    public SlackInteractions(AccessRequestService service, RequestQueries queries, RequestViews views,
                             SlackIdentities identities, SlackApi api,
                             java.util.concurrent.Executor afterAck) {
        this.afterAck = afterAck;
        this.service = service;
        this.queries = queries;
        this.views = views;
        this.identities = identities;
        this.api = api;
    }

    public void register(App app) {
        app.command("/access", (req, ctx) -> command(req));
        app.blockAction(Actions.PROVIDE_JUSTIFICATION, (req, ctx) -> afterAck(() -> provideJustification(req)));
        // NB: "No thanks" ends the request: its ack is a promise that the change is stored, so it runs before the ack
        app.blockAction(Actions.DECLINE_JUSTIFICATION, (req, ctx) -> declineJustification(req));
        app.blockAction(Actions.APPROVE, (req, ctx) -> afterAck(() -> openDecision(req, true)));
        app.blockAction(Actions.DENY, (req, ctx) -> afterAck(() -> openDecision(req, false)));
        app.blockAction(Actions.EXTEND, (req, ctx) -> afterAck(() -> openExtension(req)));
        app.blockAction(java.util.regex.Pattern.compile("^(" + java.util.regex.Pattern.quote(SlackIds.REQUEST_RESOURCE_ACTION) + "|"
                + java.util.regex.Pattern.quote(SlackIds.REQUEST_ACCOUNT_ACTION) + ")$"), (req, ctx) -> afterAck(() -> previewPolicy(req)));
        app.viewSubmission(SlackIds.JUSTIFY_MODAL, this::submitJustification);
        app.viewSubmission(SlackIds.DECIDE_MODAL, this::submitDecision);
        app.viewSubmission(SlackIds.REQUEST_MODAL, this::submitRequest);
        app.viewSubmission(SlackIds.EXTEND_MODAL, this::submitExtension);
    }

    // ------------------------------------------------------------------ /access

    Response command(SlashCommandRequest req) {
        var p = req.getPayload();
        ChatCommand cmd = ChatCommand.parse(p.getText());
        String sub = cmd.name();
        if (sub.equals("help")) {
            return ephemeral(SlackReplies.text(SlackReplies.USAGE));
        }
        Optional<UserEmail> who;
        try {
            who = identities.emailOf(new SlackIdentities.Caller(p.getUserId(), p.getTeamId(), p.getEnterpriseId()));
        } catch (SlackMembership.Refused e) {
            return ephemeral(SlackReplies.text(":no_entry: " + e.getMessage()));
        } catch (DeliveryException e) {
            return ephemeral(SlackReplies.text("Slack did not answer while I looked you up; try again in a moment."));
        }
        if (who.isEmpty()) {
            return ephemeral(SlackReplies.text(noIdentity()));
        }
        UserEmail me = who.get();
        try {
            return switch (sub) {
                case "request" -> {
                    api.openView(p.getTriggerId(), SlackModals.request());
                    yield Response.ok();
                }
                case "pending" -> ephemeral(pending(me, cmd.page()));
                case "show" -> ephemeral(SlackReplies.show(views.of(queries.getFor(me, cmd.arg(0, "/access show <id>")))));
                case "cancel" -> {
                    AccessRequest r = service.cancel(cmd.arg(0, "/access cancel <id>"), me.value(),
                            Origin.slack(p.getUserId(), p.getTeamId()));
                    yield ephemeral(SlackReplies.text(r.status() == Status.CANCELLED
                            ? "Request `" + r.id() + "` withdrawn."
                            : "Giving back your access for `" + r.id() + "`; you will get a message when it has ended."));
                }
                case "revoke" -> {
                    AccessRequest r = service.revoke(cmd.arg(0, "/access revoke <id> <reason>"), me.value(), cmd.rest(1),
                            Origin.slack(p.getUserId(), p.getTeamId()));
                    yield ephemeral(SlackReplies.text("Revoking access for `" + r.id() + "`; the requester is told when it has ended."));
                }
                case "whoapproves" -> {
                    String resource = cmd.arg(0, "/access whoapproves <resource> <account>");
                    String account = cmd.arg(1, "/access whoapproves <resource> <account>");
                    yield ephemeral(SlackReplies.whoApproves(resource, account,
                            queries.resolve(me.value(), resource, account, Optional.empty())));
                }
                default -> ephemeral(SlackReplies.text("I don't know `" + SlackReplies.escape(sub.replace("`", "")) + "`.\n" + SlackReplies.USAGE));
            };
        } catch (ClearanceException e) {
            return ephemeral(SlackReplies.text(":warning: " + explain(e)));
        } catch (DeliveryException e) {
            LOG.warn("/access {} could not open its form: {}", sub, e.getMessage());
            return ephemeral(SlackReplies.text("Slack did not let me open the form (" + SlackReplies.escape(e.getMessage()) + "); try again."));
        }
    }

    private Map<String, Object> pending(UserEmail me, int page) {
        RequestQueries.PendingPage p = queries.pendingPage(me, page, PAGE_SIZE);
        List<RequestView> shown = p.items().stream().map(views::of).toList();
        // NB: Approve/Deny only on what the rule lets this person decide now.
        List<String> actionable = p.items().stream()
                .filter(r -> queries.permissionsFor(me, r).allows(RequestPermissions.Action.APPROVE))
                .map(r -> r.id().value()).toList();
        return SlackReplies.pending(shown, actionable, page, p.more());
    }

    // ------------------------------------------------------------------ buttons

    /**
     * Acks a click that changes nothing at once and opens (or redraws) its form just after: Slack needs only the ack
     * in time, and the form's trigger stays valid for three seconds. A refusal still reaches the clicker through the
     * response_url, as it would from inside the ack.
     */
    private Response afterAck(java.util.function.Supplier<Response> work) {
        afterAck.execute(() -> {
            try {
                work.get();
            } catch (RuntimeException e) {
                LOG.warn("a Slack click failed after its ack", e);
            }
        });
        return Response.ok();
    }

    Response provideJustification(BlockActionRequest req) {
        var p = req.getPayload();
        return onButton(caller(p), channelOf(p), p.getResponseUrl(), (me, id) -> {
            // NB: explained before the form opens, by the rule the justification itself re-checks.
            RequestPermissions may = queries.permissionsFor(me, id);
            // Someone who may not see the request hears that, not whose it is.
            Optional<ClearanceException> refusal = may.check(RequestPermissions.Action.SEE)
                    .or(() -> may.check(RequestPermissions.Action.JUSTIFY));
            if (refusal.isPresent()) {
                return refusal.map(SlackInteractions::explain);
            }
            api.openView(p.getTriggerId(), SlackModals.justification(views.of(may.request())));
            return Optional.empty();
        }, p.getActions().get(0).getValue());
    }

    Response declineJustification(BlockActionRequest req) {
        var p = req.getPayload();
        return onButton(caller(p), channelOf(p), p.getResponseUrl(), (me, id) -> {
            service.abandon(id, me.value(), Origin.slack(p.getUser().getId(), teamOf(p)));
            return Optional.empty();
        }, p.getActions().get(0).getValue());
    }

    Response openDecision(BlockActionRequest req, boolean approve) {
        var p = req.getPayload();
        return onButton(caller(p), channelOf(p), p.getResponseUrl(), (me, id) -> {
            // NB: explain an ineligible or late click before any form opens, by the rule the decision itself re-checks.
            // Anyone in an approval channel may click; the refusal goes to the clicker alone.
            RequestPermissions may = queries.permissionsFor(me, id);
            Optional<ClearanceException> refusal = may.check(approve ? RequestPermissions.Action.APPROVE
                    : RequestPermissions.Action.DENY);
            if (refusal.isPresent()) {
                return refusal.map(SlackInteractions::explain);
            }
            api.openView(p.getTriggerId(), SlackModals.decision(views.of(may.request()), approve));
            return Optional.empty();
        }, p.getActions().get(0).getValue());
    }

    /** Extend on an expiry notice: the form for how much longer and why, if the grant can still be extended. */
    Response openExtension(BlockActionRequest req) {
        var p = req.getPayload();
        return onButton(caller(p), channelOf(p), p.getResponseUrl(), (me, id) -> {
            // NB: explained before the form opens, by the rule the extension command re-checks.
            RequestPermissions may = queries.permissionsFor(me, id);
            Optional<ClearanceException> refusal = may.check(RequestPermissions.Action.SEE)
                    .or(() -> may.check(RequestPermissions.Action.EXTEND));
            if (refusal.isPresent()) {
                return refusal.map(SlackInteractions::explain);
            }
            api.openView(p.getTriggerId(), SlackModals.extension(views.of(may.request())));
            return Optional.empty();
        }, p.getActions().get(0).getValue());
    }

    private interface ButtonWork {
        Optional<String> run(UserEmail me, String requestId) throws DeliveryException;
    }

    /** Runs a button's work; any refusal is told to the clicker alone (ephemeral), and nothing changes. */
    private Response onButton(SlackIdentities.Caller caller, String channel, String responseUrl, ButtonWork work,
                              String requestId) {
        String userId = caller.userId();
        Optional<String> problem;
        try {
            Optional<UserEmail> me = identities.emailOf(caller);
            problem = me.isEmpty() ? Optional.of(noIdentity()) : work.run(me.get(), requestId);
        } catch (SlackMembership.Refused e) {
            problem = Optional.of(e.getMessage());
        } catch (ClearanceException e) {
            problem = Optional.of(explain(e));
        } catch (DeliveryException e) {
            LOG.warn("button on {} failed against Slack: {}", requestId, e.getMessage());
            problem = Optional.of("Slack did not answer (" + e.getMessage() + "); try again.");
        }
        problem.ifPresent(text -> tell(userId, channel, responseUrl, SlackReplies.text(":warning: " + text)));
        return Response.ok();
    }

    /**
     * A refusal reaches the clicker wherever they clicked: through the interaction's response_url (no membership
     * needed), else an ephemeral message in the conversation, else a DM from the bot.
     */
    private void tell(String userId, String channel, String responseUrl, Map<String, Object> message) {
        if (responseUrl != null && !responseUrl.isBlank()) {
            try {
                api.respond(responseUrl, message);
                return;
            } catch (DeliveryException e) {
                LOG.info("response_url refused the reply to {} ({}); trying an ephemeral message", userId, e.getMessage());
            }
        }
        if (channel != null) {
            try {
                api.postEphemeral(channel, userId, message);
                return;
            } catch (DeliveryException e) {
                LOG.info("chat.postEphemeral refused the reply to {} ({}); sending a DM", userId, e.getMessage());
            }
        }
        try {
            api.post(identities.dmChannel(userId), message);
        } catch (DeliveryException e) {
            LOG.warn("could not tell {} why their click was refused: {}", userId, e.getMessage());
        }
    }

    /** The clicker of a button or of Enter in a form, with the team and organisation the signed payload gives. */
    private static SlackIdentities.Caller caller(com.slack.api.app_backend.interactive_components.payload.BlockActionPayload p) {
        return new SlackIdentities.Caller(p.getUser().getId(),
                p.getUser().getTeamId() != null ? p.getUser().getTeamId() : p.getTeam() == null ? null : p.getTeam().getId(),
                p.getEnterprise() == null ? null : p.getEnterprise().getId());
    }

    /** Who submitted a modal, likewise. */
    private static SlackIdentities.Caller caller(com.slack.api.app_backend.views.payload.ViewSubmissionPayload p) {
        return new SlackIdentities.Caller(p.getUser().getId(),
                p.getUser().getTeamId() != null ? p.getUser().getTeamId() : p.getTeam() == null ? null : p.getTeam().getId(),
                p.getEnterprise() == null ? null : p.getEnterprise().getId());
    }

    private static String channelOf(com.slack.api.app_backend.interactive_components.payload.BlockActionPayload p) {
        if (p.getContainer() != null && p.getContainer().getChannelId() != null) {
            return p.getContainer().getChannelId();
        }
        return p.getChannel() == null ? null : p.getChannel().getId();
    }

    /** Enter in the request form's resource or account field: resolve the policy and redraw the form with it. */
    Response previewPolicy(BlockActionRequest req) {
        var p = req.getPayload();
        var view = p.getView();
        Map<String, Map<String, ViewState.Value>> values = view.getState().getValues();
        String resource = text(values, SlackIds.RESOURCE_BLOCK);
        String account = text(values, SlackIds.ACCOUNT_BLOCK);
        Map<String, Object> redrawn;
        try {
            Optional<UserEmail> me = identities.emailOf(caller(p));
            if (me.isEmpty()) {
                redrawn = SlackModals.request(resource, account, null, noIdentity());
            } else if (resource == null || resource.isBlank() || account == null || account.isBlank()) {
                redrawn = SlackModals.request(resource, account, null, null);
            } else {
                redrawn = SlackModals.request(resource, account,
                        queries.resolve(me.get().value(), resource, account, Optional.empty()), null);
            }
        } catch (SlackMembership.Refused e) {
            redrawn = SlackModals.request(resource, account, null, e.getMessage());
        } catch (ClearanceException e) {
            redrawn = SlackModals.request(resource, account, null, e.getMessage());
        } catch (DeliveryException e) {
            return Response.ok();
        }
        try {
            api.updateView(view.getId(), view.getHash(), redrawn);
        } catch (DeliveryException e) {
            LOG.info("could not redraw the request form with its policy: {}", e.getMessage());
        }
        return Response.ok();
    }

    // ------------------------------------------------------------------ modals

    Response submitJustification(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        var view = req.getPayload().getView();
        Map<String, Map<String, ViewState.Value>> values = view.getState().getValues();
        return onSubmit(caller(req.getPayload()), ctx, SlackIds.JUSTIFICATION_BLOCK, me ->
                service.justify(new Commands.Justify(view.getPrivateMetadata(), me.value(),
                        text(values, SlackIds.JUSTIFICATION_BLOCK), Optional.ofNullable(selected(values, SlackIds.DURATION_BLOCK)),
                        origin(req))));
    }

    Response submitDecision(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        var view = req.getPayload().getView();
        String[] meta = Optional.ofNullable(view.getPrivateMetadata()).orElse("").split(":", 2);
        Map<String, Map<String, ViewState.Value>> values = view.getState().getValues();
        return onSubmit(caller(req.getPayload()), ctx, SlackIds.REASON_BLOCK, me ->
                service.decide(new Commands.Decide(meta.length == 2 ? meta[1] : "", me.value(), meta[0],
                        text(values, SlackIds.REASON_BLOCK), Optional.ofNullable(selected(values, SlackIds.DURATION_BLOCK)),
                        origin(req))));
    }

    Response submitExtension(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        var view = req.getPayload().getView();
        Map<String, Map<String, ViewState.Value>> values = view.getState().getValues();
        return onSubmit(caller(req.getPayload()), ctx, SlackIds.JUSTIFICATION_BLOCK, me -> {
            var result = service.extend(new Commands.Extend(view.getPrivateMetadata(), me.value(),
                    selected(values, SlackIds.DURATION_BLOCK), text(values, SlackIds.JUSTIFICATION_BLOCK), origin(req)));
            if (!result.created()) {
                throw new InvalidInputException("justification", "extension " + result.request().id()
                        + " is already waiting for approvers");
            }
        });
    }

    Response submitRequest(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        Map<String, Map<String, ViewState.Value>> values = req.getPayload().getView().getState().getValues();
        return onSubmit(caller(req.getPayload()), ctx, SlackIds.RESOURCE_BLOCK, me -> {
            var result = service.intake(new Commands.Intake(me.value(), text(values, SlackIds.RESOURCE_BLOCK),
                    text(values, SlackIds.ACCOUNT_BLOCK), Optional.empty(),
                    Optional.ofNullable(selected(values, SlackIds.DURATION_BLOCK)),
                    Optional.ofNullable(text(values, SlackIds.JUSTIFICATION_BLOCK)), Optional.of("slack"), Optional.empty(),
                    origin(req)));
            if (!result.created()) {
                throw new InvalidInputException("resource", "you already have " + result.request().id() + " ("
                        + result.request().status().name().toLowerCase(Locale.ROOT) + ") for this access");
            }
        });
    }

    /** NB: the origin is the user and workspace of Slack's signed payload, never a field the user typed. */
    private static Origin origin(ViewSubmissionRequest req) {
        var p = req.getPayload();
        return Origin.slack(p.getUser().getId(), p.getTeam() != null ? p.getTeam().getId() : p.getUser().getTeamId());
    }

    private static String teamOf(com.slack.api.app_backend.interactive_components.payload.BlockActionPayload p) {
        return p.getTeam() != null ? p.getTeam().getId() : p.getUser().getTeamId();
    }

    private interface Submission {
        void run(UserEmail me);
    }

    /** Applies a modal; a refusal is shown inline on the field it concerns (or on {@code fallbackBlock}). */
    private Response onSubmit(SlackIdentities.Caller caller, ViewSubmissionContext ctx, String fallbackBlock, Submission work) {
        try {
            Optional<UserEmail> me = identities.emailOf(caller);
            if (me.isEmpty()) {
                return ctx.ackWithErrors(Map.of(fallbackBlock, noIdentity()));
            }
            work.run(me.get());
            return ctx.ack();
        } catch (SlackMembership.Refused e) {
            return ctx.ackWithErrors(Map.of(fallbackBlock, e.getMessage()));
        } catch (InvalidInputException e) {
            return ctx.ackWithErrors(Map.of(blockFor(e.field(), fallbackBlock), e.getMessage()));
        } catch (ClearanceException e) {
            return ctx.ackWithErrors(Map.of(fallbackBlock, e.getMessage()));
        } catch (DeliveryException e) {
            return ctx.ackWithErrors(Map.of(fallbackBlock, "Slack did not answer while I looked you up; try again."));
        }
    }

    private static String blockFor(String field, String fallback) {
        return switch (field) {
            case "justification" -> SlackIds.JUSTIFICATION_BLOCK;
            case "duration" -> SlackIds.DURATION_BLOCK;
            case "reason" -> SlackIds.REASON_BLOCK;
            case "resource" -> SlackIds.RESOURCE_BLOCK;
            case "account" -> SlackIds.ACCOUNT_BLOCK;
            default -> fallback;
        };
    }

    // ------------------------------------------------------------------ helpers

    private static String text(Map<String, Map<String, ViewState.Value>> values, String block) {
        ViewState.Value v = value(values, block);
        return v == null ? null : v.getValue();
    }

    private static String selected(Map<String, Map<String, ViewState.Value>> values, String block) {
        ViewState.Value v = value(values, block);
        return v == null || v.getSelectedOption() == null ? null : v.getSelectedOption().getValue();
    }

    /** The value of a block's input, whatever its action id (the request form's fields dispatch their own). */
    private static ViewState.Value value(Map<String, Map<String, ViewState.Value>> values, String block) {
        Map<String, ViewState.Value> b = values == null ? null : values.get(block);
        if (b == null || b.isEmpty()) {
            return null;
        }
        return b.getOrDefault(SlackIds.INPUT_ACTION, b.values().iterator().next());
    }

    /** A refusal for mrkdwn: it may quote what the user typed, which must not ping, mention or link. */
    private static String explain(ClearanceException e) {
        return SlackReplies.escape(e.getMessage());
    }

    private static String noIdentity() {
        return "I could not match your Slack account to an email address. Ask an admin to make your email visible in "
                + "your Slack profile, or to add your Slack id to Clearance's policy file.";
    }

    private static Response ephemeral(Map<String, Object> reply) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("response_type", "ephemeral");
        body.putAll(reply);
        return Response.builder().statusCode(200).contentType(Response.CONTENT_TYPE_APPLICATION_JSON_UTF8)
                .body(JSON.writeValueAsString(body)).build();
    }
}
