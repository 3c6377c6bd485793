package dev.clearance.adapters.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import dev.clearance.cards.Actions;
import dev.clearance.cards.slack.SlackIds;
import dev.clearance.cards.slack.SlackReplies;
import dev.clearance.core.command.ChatCommands;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Every Slack interaction, registered in one place: the {@code /access} command ({@link SlackCommand}), the buttons
 * ({@link SlackButtons}) and the modal submissions ({@link SlackForms}). Each handler maps the Slack user to an email
 * and calls one application service; the service re-checks everything against the store. Handlers only write to the
 * database (chat messages go through the outbox) or open a modal, so they answer well within Slack's three seconds. A
 * click that only opens or redraws a form is acked first and does its work just after (on {@code afterAck}); a click
 * or form that changes something is acked only once the change is stored.
 */
public final class SlackInteractions {
    private static final Logger LOG = LoggerFactory.getLogger(SlackInteractions.class);

    private final SlackCommand command;
    private final SlackButtons buttons;
    private final SlackForms forms;
    private final Executor afterAck;

    public SlackInteractions(AccessRequestService service, RequestQueries queries, RequestViews views,
                             SlackIdentities identities, SlackApi api, Executor afterAck) {
        this.command = new SlackCommand(new ChatCommands(service, queries, views, SlackReplies.INVOCATION, List.of()),
                identities, api);
        this.buttons = new SlackButtons(service, queries, views, identities, api);
        this.forms = new SlackForms(service, identities);
        this.afterAck = afterAck;
    }

    public void register(App app) {
        app.command("/access", (req, ctx) -> command.handle(req));
        app.blockAction(Actions.PROVIDE_JUSTIFICATION, (req, ctx) -> afterAck(() -> buttons.provideJustification(req)));
        // NB: "No thanks" ends the request: its ack is a promise that the change is stored, so it runs before the ack
        app.blockAction(Actions.DECLINE_JUSTIFICATION, (req, ctx) -> buttons.declineJustification(req));
        app.blockAction(Actions.APPROVE, (req, ctx) -> afterAck(() -> buttons.openDecision(req, true)));
        app.blockAction(Actions.DENY, (req, ctx) -> afterAck(() -> buttons.openDecision(req, false)));
        app.blockAction(Actions.EXTEND, (req, ctx) -> afterAck(() -> buttons.openExtension(req)));
        app.blockAction(Pattern.compile("^(" + Pattern.quote(SlackIds.REQUEST_RESOURCE_ACTION) + "|"
                + Pattern.quote(SlackIds.REQUEST_ACCOUNT_ACTION) + ")$"), (req, ctx) -> afterAck(() -> buttons.previewPolicy(req)));
        app.viewSubmission(SlackIds.JUSTIFY_MODAL, forms::submitJustification);
        app.viewSubmission(SlackIds.DECIDE_MODAL, forms::submitDecision);
        app.viewSubmission(SlackIds.REQUEST_MODAL, forms::submitRequest);
        app.viewSubmission(SlackIds.EXTEND_MODAL, forms::submitExtension);
    }

    /**
     * Acks a click that changes nothing at once and opens (or redraws) its form just after: Slack needs only the ack
     * in time, and the form's trigger stays valid for three seconds. A refusal still reaches the clicker through the
     * response_url, as it would from inside the ack.
     */
    private Response afterAck(Supplier<Response> work) {
        afterAck.execute(() -> {
            try {
                work.get();
            } catch (RuntimeException e) {
                LOG.warn("a Slack click failed after its ack", e);
            }
        });
        return Response.ok();
    }
}
