package bench.bare;

import com.microsoft.bot.builder.ActivityHandler;
import com.microsoft.bot.builder.InvokeResponse;
import com.microsoft.bot.builder.TurnContext;
import com.microsoft.bot.connector.authentication.SimpleChannelProvider;
import com.microsoft.bot.connector.authentication.SimpleCredentialProvider;
import com.microsoft.bot.integration.BotFrameworkHttpAdapter;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.AdaptiveCardInvokeResponse;
import com.microsoft.bot.schema.AdaptiveCardInvokeValue;
import com.microsoft.bot.schema.Serialization;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The chat floors, with {@code floor.chat=true} only (so the startup floor stays a bare web app): a Bolt app that
 * verifies the signature and acks every slash command, button click and form submission, and a Bot Framework adapter
 * that answers every Universal Actions invoke with a small card. What Clearance does for the same request (identity,
 * store, decision rules, commit) is the difference.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "floor.chat", havingValue = "true")
class ChatFloors {
    @Bean
    App floorBolt(@Value("${floor.slack-signing-secret}") String signingSecret, @Value("${floor.slack-api-url}") String apiUrl) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl);
        App app = new App(AppConfig.builder().slack(Slack.getInstance(config)).singleTeamBotToken("xoxb-floor")
                .signingSecret(signingSecret).sslCheckEnabled(false).build());
        app.command("/access", (req, ctx) -> ctx.ack());
        app.blockAction(Pattern.compile(".*"), (req, ctx) -> ctx.ack());
        app.viewSubmission(Pattern.compile(".*"), (req, ctx) -> ctx.ack());
        return app;
    }

    @Bean
    ServletRegistrationBean<SlackAppServlet> floorSlackEvents(App app) {
        return new ServletRegistrationBean<>(new SlackAppServlet(app), "/slack/events");
    }

    @RestController
    static class TeamsFloor {
        private final BotFrameworkHttpAdapter adapter = new BotFrameworkHttpAdapter(new SimpleCredentialProvider(null, null),
                new SimpleChannelProvider());
        private final ActivityHandler bot = new ActivityHandler() {
            @Override
            protected CompletableFuture<AdaptiveCardInvokeResponse> onAdaptiveCardInvoke(TurnContext turnContext,
                                                                                         AdaptiveCardInvokeValue value) {
                AdaptiveCardInvokeResponse response = new AdaptiveCardInvokeResponse();
                response.setStatusCode(200);
                response.setType("application/vnd.microsoft.card.adaptive");
                response.setValue(Map.of("type", "AdaptiveCard", "version", "1.4",
                        "body", List.of(Map.of("type", "TextBlock", "text", "Recorded: " + value.getAction().getVerb()))));
                return CompletableFuture.completedFuture(response);
            }
        };

        @PostMapping(path = "/api/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
        ResponseEntity<String> messages(@RequestBody String body) throws Exception {
            Activity activity = Serialization.getAs(Serialization.jsonToTree(body), Activity.class);
            InvokeResponse response = adapter.processIncomingActivity("", activity, bot).get(60, TimeUnit.SECONDS);
            String json = response == null || response.getBody() == null ? "" : Serialization.toString(response.getBody());
            return ResponseEntity.status(response == null ? 200 : response.getStatus())
                    .contentType(MediaType.APPLICATION_JSON).body(json);
        }
    }
}
