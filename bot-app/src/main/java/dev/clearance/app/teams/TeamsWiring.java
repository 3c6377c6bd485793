package dev.clearance.app.teams;

import com.microsoft.bot.connector.authentication.ChannelProvider;
import com.microsoft.bot.connector.authentication.CredentialProvider;
import com.microsoft.bot.connector.authentication.MicrosoftAppCredentials;
import com.microsoft.bot.connector.authentication.SimpleChannelProvider;
import com.microsoft.bot.connector.authentication.SimpleCredentialProvider;
import com.microsoft.bot.integration.BotFrameworkHttpAdapter;
import dev.clearance.adapters.teams.TeamsBot;
import dev.clearance.adapters.teams.TeamsChatChannel;
import dev.clearance.adapters.teams.TeamsConnector;
import dev.clearance.adapters.teams.TeamsConversations;
import dev.clearance.adapters.teams.TeamsEndpoint;
import dev.clearance.adapters.teams.TeamsGate;
import dev.clearance.adapters.teams.TeamsIdentities;
import dev.clearance.adapters.teams.TeamsTokenFilter;
import dev.clearance.core.port.Directory;
import dev.clearance.app.config.ClearanceProperties;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

/**
 * Microsoft Teams, when {@code TEAMS_APP_ID} is set (every request's Bot Framework JWT is then validated, in the
 * {@link #teamsRequests} security chain), or when {@code TEAMS_ALLOW_UNAUTHENTICATED=true} for Microsoft's local Teams
 * client, which talks to a bot without an app id.
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
        // the bot's own tenant (the first configured) is where its tokens are asked for
        MicrosoftAppCredentials credentials = t.authenticated()
                ? new MicrosoftAppCredentials(t.appId().strip(), t.appPassword() == null ? "" : t.appPassword().strip(),
                t.tenantIds().isEmpty() ? null : t.tenantIds().get(0))
                : MicrosoftAppCredentials.empty();
        if (!TeamsConnector.EMAIL_ATTRIBUTES.contains(t.emailAttribute())) {
            throw new IllegalStateException("TEAMS_EMAIL_ATTRIBUTE (clearance.teams.email-attribute) must be one of "
                    + TeamsConnector.EMAIL_ATTRIBUTES + ", was '" + t.emailAttribute() + "'");
        }
        return new TeamsConnector(credentials, clock, t.emailAttribute());
    }

    @Bean
    TeamsIdentities teamsIdentities(TeamsConnector connector, TeamsConversations conversations, Directory directory,
                                    Clock clock, ClearanceProperties properties) {
        return new TeamsIdentities(connector, conversations, directory, clock, properties.teams().identityRefresh());
    }

    @Bean
    @Order(20)
    TeamsChatChannel teamsChatChannel(TeamsConnector connector, TeamsConversations conversations, TeamsIdentities identities) {
        return new TeamsChatChannel(connector, conversations, identities);
    }

    /** The bot's app id and password (none in development mode: botbuilder then lets unauthenticated calls in). */
    @Bean
    CredentialProvider teamsCredentials(ClearanceProperties properties) {
        ClearanceProperties.Teams t = properties.teams();
        return new SimpleCredentialProvider(t.authenticated() ? t.appId().strip() : null,
                t.authenticated() && t.appPassword() != null ? t.appPassword().strip() : null);
    }

    @Bean
    ChannelProvider teamsChannels() {
        return new SimpleChannelProvider();
    }

    @Bean
    TeamsGate teamsGate(ClearanceProperties properties) {
        ClearanceProperties.Teams t = properties.teams();
        return new TeamsGate(t.tenantIds(), !t.authenticated());
    }

    /**
     * {@code POST /api/messages} is admitted only with a Bot Framework token botbuilder validates (or, in development
     * mode, with none and a loopback serviceUrl), before the Teams controller or anything else reads the activity.
     */
    @Bean
    @Order(0)
    SecurityFilterChain teamsRequests(HttpSecurity http, CredentialProvider teamsCredentials, ChannelProvider teamsChannels,
                                      TeamsGate teamsGate) throws Exception {
        // NB: only a request whose token verified (or a development-mode call botbuilder admits) is authenticated
        TeamsTokenFilter token = new TeamsTokenFilter(teamsCredentials, teamsChannels, teamsGate, caller ->
                SecurityContextHolder.getContext().setAuthentication(new PreAuthenticatedAuthenticationToken(
                        caller.anonymous() ? "teams:unauthenticated" : "teams:" + caller.appId(), caller.claims(),
                        AuthorityUtils.createAuthorityList("teams"))));
        http.securityMatcher(PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/api/messages"))
                .addFilterBefore(token, AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> TeamsTokenFilter.unauthorized(response)))
                // NB: the Bot Framework token comes in a header, never a cookie: there is nothing for CSRF to forge
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable());
        return http.build();
    }

    @Bean
    TeamsEndpoint teamsEndpoint(ClearanceProperties properties, AccessRequestService service, RequestQueries queries,
                                RequestViews views, TeamsConversations conversations, TeamsConnector connector,
                                TeamsIdentities identities, CredentialProvider teamsCredentials,
                                ChannelProvider teamsChannels, TeamsGate gate) {
        ClearanceProperties.Teams t = properties.teams();
        if (t.authenticated() && (t.appPassword() == null || t.appPassword().isBlank())) {
            throw new IllegalStateException("TEAMS_APP_ID is set but TEAMS_APP_PASSWORD (clearance.teams.app-password) is not");
        }
        // NB: a bot registration can be reached from other tenants; only the configured ones' people may act
        if (t.authenticated() && t.tenantIds().isEmpty()) {
            throw new IllegalStateException("TEAMS_APP_ID is set but TEAMS_TENANT_ID (clearance.teams.tenant-id) is not: "
                    + "set it to your Microsoft Entra tenant id (several, comma-separated), so that people of other "
                    + "tenants cannot act");
        }
        if (t.identityRefresh().isNegative() || t.identityRefresh().isZero()) {
            throw new IllegalStateException("TEAMS_IDENTITY_REFRESH (clearance.teams.identity-refresh) must be positive, was "
                    + t.identityRefresh());
        }
        if (!t.authenticated()) {
            LOG.warn("Teams adapter on WITHOUT authentication (TEAMS_ALLOW_UNAUTHENTICATED=true), for Microsoft's local Teams "
                    + "client only: anyone who can reach /api/messages can act as any Teams user (request, approve, revoke "
                    + "as them), and Clearance calls back the serviceUrl an activity names (member lookups, replies, later "
                    + "that person's approval cards). Only loopback serviceUrls (localhost, 127.0.0.0/8, ::1) are accepted; "
                    + "keep the port on this machine.{}", t.tenantIds().isEmpty() ? " Any tenant is accepted (TEAMS_TENANT_ID is not set)." : "");
        } else {
            LOG.info("Teams adapter on for app {} and tenant(s) {} (Bot Framework tokens validated on /api/messages)",
                    t.appId(), t.tenantIds());
        }
        // NB: the security chain (teamsRequests) validated the token; with an app id the adapter validates it again
        BotFrameworkHttpAdapter adapter = new BotFrameworkHttpAdapter(teamsCredentials, teamsChannels);
        TeamsBot bot = new TeamsBot(service, queries, views, conversations, connector, identities, gate);
        return new TeamsEndpoint(adapter, bot);
    }
}
