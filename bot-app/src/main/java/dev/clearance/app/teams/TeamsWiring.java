package dev.clearance.app.teams;

import com.microsoft.bot.connector.authentication.MicrosoftAppCredentials;
import com.microsoft.bot.connector.authentication.SimpleChannelProvider;
import com.microsoft.bot.connector.authentication.SimpleCredentialProvider;
import com.microsoft.bot.integration.BotFrameworkHttpAdapter;
import dev.clearance.adapters.teams.TeamsBot;
import dev.clearance.adapters.teams.TeamsChatChannel;
import dev.clearance.adapters.teams.TeamsConnector;
import dev.clearance.adapters.teams.TeamsConversations;
import dev.clearance.adapters.teams.TeamsEndpoint;
import dev.clearance.app.config.ClearanceProperties;
import dev.clearance.app.config.FilePolicySource;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

/**
 * Microsoft Teams, when {@code TEAMS_APP_ID} is set (every request's Bot Framework JWT is then validated), or when
 * {@code TEAMS_ALLOW_UNAUTHENTICATED=true} for Microsoft's local Teams client, which talks to a bot without an app id.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${clearance.teams.app-id:}'.isBlank() or '${clearance.teams.allow-unauthenticated:false}' == 'true'")
class TeamsWiring {
    private static final Logger LOG = LoggerFactory.getLogger(TeamsWiring.class);

    @Bean
    TeamsConversations teamsConversations(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        return new JdbcTeamsConversations(jdbc, new TransactionTemplate(transactions), clock);
    }

    @Bean
    TeamsConnector teamsConnector(ClearanceProperties properties, Clock clock) {
        ClearanceProperties.Teams t = properties.teams();
        MicrosoftAppCredentials credentials = t.authenticated()
                ? new MicrosoftAppCredentials(t.appId().strip(), t.appPassword() == null ? "" : t.appPassword().strip(),
                t.tenantId() == null || t.tenantId().isBlank() ? null : t.tenantId().strip())
                : MicrosoftAppCredentials.empty();
        return new TeamsConnector(credentials, clock);
    }

    @Bean
    @Order(20)
    TeamsChatChannel teamsChatChannel(TeamsConnector connector, TeamsConversations conversations) {
        return new TeamsChatChannel(connector, conversations);
    }

    @Bean
    TeamsEndpoint teamsEndpoint(ClearanceProperties properties, AccessRequestService service, RequestQueries queries,
                                RequestViews views, TeamsConversations conversations, TeamsConnector connector,
                                FilePolicySource policies) {
        ClearanceProperties.Teams t = properties.teams();
        if (t.authenticated() && (t.appPassword() == null || t.appPassword().isBlank())) {
            throw new IllegalStateException("TEAMS_APP_ID is set but TEAMS_APP_PASSWORD (clearance.teams.app-password) is not");
        }
        if (!t.authenticated()) {
            LOG.warn("Teams adapter on WITHOUT authentication (TEAMS_ALLOW_UNAUTHENTICATED=true): anyone who can reach "
                    + "/api/messages can act as any Teams user. Use this only with Microsoft's local Teams client.");
        } else {
            LOG.info("Teams adapter on for app {} (Bot Framework tokens validated on /api/messages)", t.appId());
        }
        // NB: with an app id, the adapter validates every incoming Bot Framework JWT; without one it accepts anything.
        BotFrameworkHttpAdapter adapter = new BotFrameworkHttpAdapter(
                new SimpleCredentialProvider(t.authenticated() ? t.appId().strip() : null,
                        t.authenticated() ? t.appPassword().strip() : null),
                new SimpleChannelProvider());
        TeamsBot bot = new TeamsBot(service, queries, views, conversations, connector, () -> policies.current().tree().paths());
        return new TeamsEndpoint(adapter, bot);
    }
}
