package dev.clearance.app.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Infrastructure settings ({@code clearance.*} in application.yml, each overridable by environment variable).
 * Secrets are read from the environment or from a file, and are never logged.
 */
@ConfigurationProperties("clearance")
public record ClearanceProperties(String config, String dataDir, Api api, AccessProvider accessProvider, Outbox outbox,
                                  Chat chat, Slack slack, Teams teams, Mail mail, String publicUrl, Web web) {
    public ClearanceProperties {
        api = api == null ? new Api(List.of(), null) : api;
        accessProvider = accessProvider == null ? new AccessProvider("none", null, null) : accessProvider;
        outbox = outbox == null ? new Outbox(Duration.ofMillis(250), 50, 8) : outbox;
        chat = chat == null ? new Chat(new Log("auto")) : chat;
        slack = slack == null ? new Slack(null, null, null, null, null) : slack;
        teams = teams == null ? new Teams(null, null, null, false, null, null) : teams;
        mail = mail == null ? new Mail(null, null, null, null, null, null, false) : mail;
    }

    public java.nio.file.Path configPath() {
        return java.nio.file.Path.of(config);
    }

    /** @param tokens bearer tokens accepted by /api/v1 ({@code CLEARANCE_API_TOKENS}, comma-separated) */
    public record Api(List<String> tokens, String tokensFile) {
    }

    /** @param type {@code none} (store only), {@code webhook} or {@code aws-identity-center} */
    public record AccessProvider(String type, Webhook webhook, Aws aws) {
    }

    /**
     * The aws-identity-center provider; region and credentials come from the AWS SDK's default chains.
     *
     * @param instanceArn     {@code CLEARANCE_AWS_INSTANCE_ARN}; empty: the one instance ListInstances returns
     * @param identityStoreId {@code CLEARANCE_AWS_IDENTITY_STORE_ID}; empty: that instance's
     * @param userAttribute   {@code CLEARANCE_AWS_USER_ATTRIBUTE}: userName (default) or emails.value
     */
    public record Aws(String instanceArn, String identityStoreId, String userAttribute, Duration pollInterval, Integer polls) {
    }

    /**
     * @param secret    HMAC key ({@code CLEARANCE_WEBHOOK_SECRET}); or {@code secretFile}
     * @param reconcile {@code CLEARANCE_WEBHOOK_RECONCILE}: the receiver answers the {@code reconcile} call
     */
    public record Webhook(URI url, String secret, String secretFile, Duration timeout, boolean reconcile) {
    }

    /**
     * @param pollInterval how often the dispatcher looks for due messages; 0 disables it (tests drain explicitly)
     * @param workers      how many messages (of different requests) are delivered at once
     */
    public record Outbox(Duration pollInterval, int batchSize, int workers) {
        public Outbox {
            if (batchSize < 1) {
                throw new IllegalArgumentException("clearance.outbox.batch-size (CLEARANCE_OUTBOX_BATCHSIZE) must be at least 1, was " + batchSize);
            }
            if (workers < 1) {
                throw new IllegalArgumentException("clearance.outbox.workers (CLEARANCE_OUTBOX_WORKERS) must be at least 1, was " + workers);
            }
        }
    }

    /**
     * The email channel, on when {@code smtpHost} is set.
     *
     * @param smtpHost            {@code CLEARANCE_SMTP_HOST}
     * @param smtpPort            {@code CLEARANCE_SMTP_PORT} (587)
     * @param username            {@code CLEARANCE_SMTP_USERNAME}; with it, a password and STARTTLS are required
     * @param password            {@code CLEARANCE_SMTP_PASSWORD}; or {@code passwordFile}
     * @param from                {@code CLEARANCE_MAIL_FROM}
     * @param allowPlaintextLogin development only: log in without STARTTLS (a local test server)
     */
    public record Mail(String smtpHost, Integer smtpPort, String username, String password, String passwordFile,
                       String from, boolean allowPlaintextLogin) {
    }

    /**
     * The requests web page, on when {@code oidc.issuerUri} is set: people sign in through OpenID Connect. (Its session
     * cookie's flags are Spring Boot's own {@code server.servlet.session.cookie.*}, see application.yml.)
     *
     * @param oidc                the identity provider: {@code CLEARANCE_OIDC_ISSUER_URI}, {@code CLEARANCE_OIDC_CLIENT_ID},
     *                            {@code CLEARANCE_OIDC_CLIENT_SECRET} (or {@code ...client-secret-file})
     * @param allowedEmailDomains {@code CLEARANCE_WEB_ALLOWED_EMAIL_DOMAINS}: who may sign in (empty: any verified email
     *                            of the issuer, with a startup warning)
     * @param sessionLifetime     {@code CLEARANCE_WEB_SESSION_LIFETIME} (8h): a sign-in ends this long after it began,
     *                            however busy; it also ends when the identity provider's ID token expires
     */
    public record Web(Oidc oidc, List<String> allowedEmailDomains, Duration sessionLifetime) {
        public Web {
            allowedEmailDomains = allowedEmailDomains == null ? List.of() : List.copyOf(allowedEmailDomains);
            sessionLifetime = sessionLifetime == null ? Duration.ofHours(8) : sessionLifetime;
            if (sessionLifetime.isNegative() || sessionLifetime.isZero()) {
                throw new IllegalArgumentException("clearance.web.session-lifetime (CLEARANCE_WEB_SESSION_LIFETIME) must be "
                        + "positive, was " + sessionLifetime);
            }
        }
    }

    public record Oidc(String issuerUri, String clientId, String clientSecret, String clientSecretFile) {
    }

    public record Chat(Log log) {
    }

    /** @param enabled {@code true}, {@code false}, or {@code auto}: print chat messages to the log when no platform is set up */
    public record Log(String enabled) {
    }

    /**
     * @param appId                {@code TEAMS_APP_ID}: with it, every Bot Framework JWT on /api/messages is validated
     * @param tenantId             {@code TEAMS_TENANT_ID}: the Microsoft Entra tenant(s) whose people Clearance acts for,
     *                             comma-separated; the first is the bot's own (its tokens are asked of it)
     * @param allowUnauthenticated {@code TEAMS_ALLOW_UNAUTHENTICATED}: development only, for the local Teams client
     * @param emailAttribute       {@code TEAMS_EMAIL_ATTRIBUTE}: which attribute of the member lookup is a person's
     *                             email: {@code userPrincipalName} (default) or {@code email} (Entra's {@code mail})
     * @param identityRefresh      {@code TEAMS_IDENTITY_REFRESH}: how long a looked-up email is trusted before it is
     *                             looked up again (1h)
     */
    public record Teams(String appId, String appPassword, String tenantId, boolean allowUnauthenticated,
                        String emailAttribute, Duration identityRefresh) {
        public Teams {
            emailAttribute = emailAttribute == null || emailAttribute.isBlank() ? "userPrincipalName" : emailAttribute.strip();
            identityRefresh = identityRefresh == null ? Duration.ofHours(1) : identityRefresh;
        }

        public boolean authenticated() {
            return appId != null && !appId.isBlank();
        }

        /** The configured tenants, in order; empty when {@code TEAMS_TENANT_ID} is not set. */
        public List<String> tenantIds() {
            return tenantId == null ? List.of() : java.util.Arrays.stream(tenantId.split(","))
                    .map(String::strip).filter(t -> !t.isEmpty()).toList();
        }
    }

    /**
     * @param botToken      {@code SLACK_BOT_TOKEN}; without it the Slack adapter is off
     * @param signingSecret {@code SLACK_SIGNING_SECRET}, verifies requests to /slack/events
     * @param appToken      {@code SLACK_APP_TOKEN}: Socket Mode, no public URL needed
     * @param apiUrl        {@code SLACK_API_URL}, the Web API base (tests point it at a fake)
     * @param allowedTeamIds {@code SLACK_ALLOWED_TEAM_IDS}: workspace ({@code T…}) and Enterprise Grid organisation
     *                       ({@code E…}) ids whose members Clearance acts for, besides the workspace it is installed in
     */
    public record Slack(String botToken, String signingSecret, String appToken, String apiUrl, List<String> allowedTeamIds) {
        public Slack {
            allowedTeamIds = allowedTeamIds == null ? List.of() : List.copyOf(allowedTeamIds);
        }
    }
}
