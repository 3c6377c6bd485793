package dev.clearance.adapters.slack;

import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.ViewState;
import dev.clearance.cards.slack.SlackIds;
import dev.clearance.cards.slack.SlackModals;
import dev.clearance.cards.slack.SlackReplies;
import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.view.RequestView;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.RequestPermissions;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static dev.clearance.adapters.slack.SlackPayloads.caller;
import static dev.clearance.adapters.slack.SlackPayloads.channelOf;
import static dev.clearance.adapters.slack.SlackPayloads.noIdentity;
import static dev.clearance.adapters.slack.SlackPayloads.teamOf;
import static dev.clearance.adapters.slack.SlackPayloads.text;

/**
 * The buttons of Clearance's messages (block actions): most open a form, checked first by the rule the form's
 * submission re-checks; "No thanks" ends a request. A refusal goes to the clicker alone.
 */
final class SlackButtons {
    private static final Logger LOG = LoggerFactory.getLogger(SlackButtons.class);

    private final AccessRequestService service;
    private final RequestQueries queries;
    private final RequestViews views;
    private final SlackIdentities identities;
    private final SlackApi api;

    SlackButtons(AccessRequestService service, RequestQueries queries, RequestViews views, SlackIdentities identities,
                 SlackApi api) {
        this.service = service;
        this.queries = queries;
        this.views = views;
        this.identities = identities;
        this.api = api;
    }

    Response provideJustification(BlockActionRequest req) {
        // NB: explained before the form opens, by the rule the justification itself re-checks.
        // Someone who may not see the request hears that, not whose it is.
        return openIfAllowed(req, SlackModals::justification, RequestPermissions.Action.SEE, RequestPermissions.Action.JUSTIFY);
    }

    Response declineJustification(BlockActionRequest req) {
        var p = req.getPayload();
        return onButton(req, (me, id) -> {
            service.abandon(RequestId.parse(id), me, Origin.slack(p.getUser().getId(), teamOf(p)));
            return Optional.empty();
        });
    }

    Response openDecision(BlockActionRequest req, boolean approve) {
        // NB: explain an ineligible or late click before any form opens, by the rule the decision itself re-checks.
        // Anyone in an approval channel may click; the refusal goes to the clicker alone.
        return openIfAllowed(req, v -> SlackModals.decision(v, approve),
                approve ? RequestPermissions.Action.APPROVE : RequestPermissions.Action.DENY);
    }

    /** Extend on an expiry notice: the form for how much longer and why, if the grant can still be extended. */
    Response openExtension(BlockActionRequest req) {
        // NB: explained before the form opens, by the rule the extension command re-checks.
        return openIfAllowed(req, SlackModals::extension, RequestPermissions.Action.SEE, RequestPermissions.Action.EXTEND);
    }

    /** Opens the clicked request's form if the rule allows each of {@code checks} now; else the first refusal. */
    private Response openIfAllowed(BlockActionRequest req, Function<RequestView, Map<String, Object>> form,
                                   RequestPermissions.Action... checks) {
        var p = req.getPayload();
        return onButton(req, (me, id) -> {
            RequestPermissions may = queries.permissionsFor(me, id);
            for (RequestPermissions.Action check : checks) {
                Optional<ClearanceException> refusal = may.check(check);
                if (refusal.isPresent()) {
                    return refusal.map(SlackPayloads::explain);
                }
            }
            api.openView(p.getTriggerId(), form.apply(views.of(may.request())));
            return Optional.empty();
        });
    }

    private interface ButtonWork {
        Optional<String> run(UserEmail me, String requestId) throws DeliveryException;
    }

    /** Runs a button's work; any refusal is told to the clicker alone (ephemeral), and nothing changes. */
    private Response onButton(BlockActionRequest req, ButtonWork work) {
        var p = req.getPayload();
        SlackIdentities.Caller caller = caller(p);
        String requestId = p.getActions().get(0).getValue();
        Optional<String> problem;
        try {
            Optional<UserEmail> me = identities.emailOf(caller);
            problem = me.isEmpty() ? Optional.of(noIdentity()) : work.run(me.get(), requestId);
        } catch (SlackMembership.Refused e) {
            problem = Optional.of(e.getMessage());
        } catch (ClearanceException e) {
            problem = Optional.of(SlackPayloads.explain(e));
        } catch (DeliveryException e) {
            LOG.warn("button on {} failed against Slack: {}", requestId, e.getMessage());
            problem = Optional.of("Slack did not answer (" + e.getMessage() + "); try again.");
        }
        problem.ifPresent(text -> tell(caller.userId(), channelOf(p), p.getResponseUrl(), SlackReplies.text(":warning: " + text)));
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
                        queries.resolve(me.get(), resource, account, Optional.empty()), null);
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
}
