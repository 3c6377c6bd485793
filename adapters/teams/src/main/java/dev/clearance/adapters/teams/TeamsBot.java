package dev.clearance.adapters.teams;

import com.microsoft.bot.builder.ActivityHandler;
import com.microsoft.bot.builder.InvokeResponse;
import com.microsoft.bot.builder.TurnContext;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.ActivityTypes;
import com.microsoft.bot.schema.AdaptiveCardInvokeResponse;
import com.microsoft.bot.schema.AdaptiveCardInvokeValue;
import com.microsoft.bot.schema.Serialization;
import dev.clearance.cards.teams.TeamsIds;
import dev.clearance.cards.teams.TeamsReplies;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Every Teams activity, in one place: the tenant gate first, then the channel remembered ({@link TeamsChannelMemory}),
 * messages to the bot ({@link TeamsCommands}) and {@code adaptiveCard/action} invokes ({@link TeamsCardActions}).
 */
public final class TeamsBot extends ActivityHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TeamsBot.class);

    private final TeamsChannelMemory channels;
    private final TeamsCommands commands;
    private final TeamsCardActions cardActions;
    private final TeamsIdentities identities;
    private final TeamsGate gate;

    public TeamsBot(AccessRequestService service, RequestQueries queries, RequestViews views, TeamsConversations conversations,
                    TeamsConnector connector, TeamsIdentities identities, TeamsGate gate) {
        this.identities = identities;
        this.gate = gate;
        this.channels = new TeamsChannelMemory(conversations);
        this.commands = new TeamsCommands(service, queries, views, identities);
        this.cardActions = new TeamsCardActions(service, queries, views, identities, channels,
                new TeamsDeciders(connector, conversations));
    }

    @Override
    public CompletableFuture<Void> onTurn(TurnContext turnContext) {
        Activity a = turnContext.getActivity();
        // NB: another tenant's activity is refused before anything is looked up or stored for it
        Optional<String> refused = gate.tenantRefusal(a);
        if (refused.isPresent()) {
            return refuse(turnContext, refused.get());
        }
        channels.remember(a);
        identities.remember(a);
        return super.onTurn(turnContext);
    }

    /** Tells the sender why nothing happens: a card in place of the clicked one, or a reply to a message. */
    private CompletableFuture<Void> refuse(TurnContext turnContext, String why) {
        Activity a = turnContext.getActivity();
        LOG.info("refused a Teams {} from tenant {} (user {}): not a configured tenant (TEAMS_TENANT_ID)", a.getType(),
                TeamsGate.tenantOf(a), a.getFrom() == null ? null : a.getFrom().getAadObjectId());
        if (ActivityTypes.INVOKE.equals(a.getType())) {
            Activity response = new Activity(ActivityTypes.INVOKE_RESPONSE);
            response.setValue("adaptiveCard/action".equals(a.getName())
                    ? new InvokeResponse(200, cardResponse(TeamsReplies.message("⚠ " + why)))
                    : new InvokeResponse(403, null));
            return turnContext.sendActivity(response).thenApply(r -> null);
        }
        if (ActivityTypes.MESSAGE.equals(a.getType())) {
            return turnContext.sendActivity(TeamsConnector.cardActivity(TeamsReplies.message("⚠ " + why), "Clearance"))
                    .thenApply(r -> null);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    protected CompletableFuture<Void> onMessageActivity(TurnContext turnContext) {
        Map<String, Object> reply = commands.reply(turnContext.getActivity());
        return turnContext.sendActivity(TeamsConnector.cardActivity(reply, "Clearance")).thenApply(r -> null);
    }

    @Override
    protected CompletableFuture<AdaptiveCardInvokeResponse> onAdaptiveCardInvoke(TurnContext turnContext,
                                                                                 AdaptiveCardInvokeValue value) {
        return CompletableFuture.completedFuture(cardResponse(cardActions.invoke(turnContext.getActivity(), value)));
    }

    private static AdaptiveCardInvokeResponse cardResponse(Map<String, Object> card) {
        AdaptiveCardInvokeResponse response = new AdaptiveCardInvokeResponse();
        response.setStatusCode(200);
        response.setType(TeamsIds.CONTENT_TYPE);
        response.setValue(Serialization.objectToTree(card));
        return response;
    }
}
