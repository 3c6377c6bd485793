package dev.clearance.app.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import jakarta.servlet.Filter;
import dev.clearance.adapters.slack.SlackApi;
import dev.clearance.adapters.slack.SlackChatChannel;
import dev.clearance.adapters.slack.SlackIdentities;
import dev.clearance.adapters.slack.SlackInteractions;
import dev.clearance.adapters.slack.SlackMembership;
import dev.clearance.adapters.slack.SlackSignatureFilter;
import dev.clearance.app.config.ClearanceProperties;
import dev.clearance.core.port.Directory;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.time.Clock;
import java.time.Duration;

/** Slack, when {@code SLACK_BOT_TOKEN} is set: the chat channel, Bolt on /slack/events, and Socket Mode. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${clearance.slack.bot-token:}'.isBlank()")
class SlackWiring {
    private static final Logger LOG = LoggerFactory.getLogger(SlackWiring.class);
    /** The name of Bolt's servlet registration: whatever the container maps to it is verified. */
    static final String SLACK_SERVLET = "slackEvents";

    @Bean
    Slack slack(ClearanceProperties properties) {
        SlackConfig config = new SlackConfig();
        String url = properties.slack().apiUrl() == null || properties.slack().apiUrl().isBlank()
                ? "https://slack.com/api/" : properties.slack().apiUrl();
        config.setMethodsEndpointUrlPrefix(url.endsWith("/") ? url : url + "/");
        config.setPrettyResponseLoggingEnabled(false);
        // The SDK's in-memory call statistics keep an entry per channel it ever posted to and walk them all every
        // second: at 100,000 requests that was most of the idle CPU (JFR, issue 10). Clearance calls Slack
        // synchronously and reads Slack's own rate-limit answers, so it needs none of them.
        config.setStatsEnabled(false);
        return Slack.getInstance(config);
    }

    @Bean
    SlackApi slackApi(Slack slack, ClearanceProperties properties) {
        // interaction replies go to the response_url Slack gives; a fake Slack (tests) is the API host itself
        String apiHost = java.net.URI.create(slack.getConfig().getMethodsEndpointUrlPrefix()).getHost();
        return new SlackApi(slack, properties.slack().botToken().strip(), java.util.Set.of(apiHost));
    }

    @Bean
    SlackMembership slackMembership(SlackApi api, ClearanceProperties properties) {
        return new SlackMembership(api, properties.slack().allowedTeamIds());
    }

    @Bean
    SlackIdentities slackIdentities(SlackApi api, SlackMembership membership, Directory directory, Clock clock) {
        return new SlackIdentities(api, membership, directory, clock, Duration.ofHours(1));
    }

    @Bean
    @Order(10)
    SlackChatChannel slackChatChannel(SlackApi api, SlackIdentities identities) {
        return new SlackChatChannel(api, identities);
    }

    @Bean(destroyMethod = "close")
    SlackAfterAck slackAfterAck() {
        return new SlackAfterAck(4);
    }

    @Bean
    App slackApp(Slack slack, ClearanceProperties properties, AccessRequestService service, RequestQueries queries,
                 RequestViews views, SlackIdentities identities, SlackApi api, SlackAfterAck afterAck) {
        ClearanceProperties.Slack s = properties.slack();
        boolean socketMode = s.appToken() != null && !s.appToken().isBlank();
        boolean http = s.signingSecret() != null && !s.signingSecret().isBlank();
        if (!socketMode && !http) {
            throw new IllegalStateException("SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP, /slack/events) "
                    + "nor SLACK_APP_TOKEN (Socket Mode) is: set one of them (clearance.slack.signing-secret / app-token)");
        }
        App app = new App(AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(s.botToken().strip())
                .signingSecret(http ? s.signingSecret().strip() : "unused-in-socket-mode")
                // NB: requests are verified by SlackSignatureFilter against the injected clock, before Bolt parses them.
                .requestVerificationEnabled(false)
                .sslCheckEnabled(false)
                .build());
        new SlackInteractions(service, queries, views, identities, api, afterAck)
                .register(app);
        LOG.info("Slack adapter on ({}{}{})", http ? "HTTP at /slack/events" : "", http && socketMode ? ", " : "",
                socketMode ? "Socket Mode" : "");
        return app;
    }

    @Bean
    @ConditionalOnExpression("!'${clearance.slack.signing-secret:}'.isBlank()")
    ServletRegistrationBean<SlackAppServlet> slackEvents(App app) {
        ServletRegistrationBean<SlackAppServlet> registration = new ServletRegistrationBean<>(new SlackAppServlet(app), "/slack/events");
        registration.setName(SLACK_SERVLET);
        return registration;
    }

    /**
     * Slack's requests in Spring Security: every request that reaches Bolt's servlet (by its path, or by the servlet
     * the container mapped it to, however it was spelled) passes {@link SlackSignatureFilter} first, and only a signed,
     * fresh one is let through as "slack".
     */
    @Bean
    @Order(0)
    @ConditionalOnExpression("!'${clearance.slack.signing-secret:}'.isBlank()")
    SecurityFilterChain slackRequests(HttpSecurity http, ClearanceProperties properties, Clock clock) throws Exception {
        SlackSignatureFilter signature = new SlackSignatureFilter(properties.slack().signingSecret().strip(), clock);
        RequestMatcher toBolt = new OrRequestMatcher(PathPatternRequestMatcher.pathPattern("/slack/**"),
                request -> request.getHttpServletMapping() != null
                        && SLACK_SERVLET.equals(request.getHttpServletMapping().getServletName()));
        // NB: only a request whose signature verified is authenticated; the chain admits nothing else
        Filter verified = (request, response, chain) -> signature.doFilter(request, response, (req, res) -> {
            SecurityContextHolder.getContext().setAuthentication(new PreAuthenticatedAuthenticationToken("slack", "signature",
                    AuthorityUtils.createAuthorityList("slack")));
            chain.doFilter(req, res);
        });
        http.securityMatcher(toBolt)
                .addFilterBefore(verified, AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                // NB: Slack signs each request; no cookie is involved, so there is nothing for CSRF to forge
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable());
        return http.build();
    }

    @Bean
    @ConditionalOnExpression("!'${clearance.slack.app-token:}'.isBlank()")
    SmartLifecycle slackSocketMode(App app, ClearanceProperties properties) {
        return new SmartLifecycle() {
            private SocketModeApp socketMode;

            @Override
            public void start() {
                try {
                    // NB: Bolt defaults to the Tyrus backend; we ship Java-WebSocket, so it must be chosen explicitly.
                    socketMode = new SocketModeApp(properties.slack().appToken().strip(), SocketModeClient.Backend.JavaWebSocket, app);
                    socketMode.startAsync();
                    LOG.info("Slack Socket Mode connected");
                } catch (Exception e) {
                    throw new IllegalStateException("Slack Socket Mode could not start (check SLACK_APP_TOKEN, an xapp- token "
                            + "with connections:write): " + e.getMessage(), e);
                }
            }

            @Override
            public void stop() {
                if (socketMode != null) {
                    try {
                        socketMode.close();
                    } catch (Exception e) {
                        LOG.warn("closing Slack Socket Mode: {}", e.getMessage());
                    }
                    socketMode = null;
                }
            }

            @Override
            public boolean isRunning() {
                return socketMode != null;
            }
        };
    }
}
