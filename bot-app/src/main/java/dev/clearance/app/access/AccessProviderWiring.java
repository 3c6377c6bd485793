package dev.clearance.app.access;

import dev.clearance.adapters.access.NoneAccessProvider;
import dev.clearance.adapters.access.WebhookAccessProvider;
import dev.clearance.adapters.access.aws.IdentityCenterAccessProvider;
import dev.clearance.adapters.access.aws.IdentityCenterSettings;
import dev.clearance.adapters.access.aws.PermissionSetGrants;
import dev.clearance.adapters.access.aws.PermissionSets;
import dev.clearance.app.config.ClearanceProperties;
import dev.clearance.app.config.FilePolicySource;
import dev.clearance.app.config.Secrets;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.GrantSectionValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The access provider the configuration names, and what a policy's {@code grant} may say. */
@Configuration(proxyBeanMethods = false)
public class AccessProviderWiring {
    private static final Logger LOG = LoggerFactory.getLogger(AccessProviderWiring.class);

    /**
     * The {@code grant} a policy file may state, checked when it is loaded. There is one vocabulary today, Identity
     * Center's {@code permission-set} (the schema states it): the file is held to it whichever provider is configured,
     * as it always was.
     */
    @Bean
    GrantSectionValidator grantSectionValidator() {
        return new PermissionSetGrants();
    }

    @Bean
    AccessProvider accessProvider(ClearanceProperties properties, Clock clock, JdbcClient jdbc,
                                  PlatformTransactionManager transactions, FilePolicySource policies) {
        String type = properties.accessProvider().type() == null ? "none"
                : properties.accessProvider().type().trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "none" -> {
                LOG.info("access provider: none (grants are recorded in the store only)");
                return new NoneAccessProvider();
            }
            case "webhook" -> {
                ClearanceProperties.Webhook w = properties.accessProvider().webhook();
                if (w == null || w.url() == null) {
                    throw new IllegalStateException("clearance.access-provider.webhook.url (CLEARANCE_WEBHOOK_URL) is "
                            + "required when clearance.access-provider.type is webhook");
                }
                String secret = Secrets.read(w.secret(), w.secretFile(), "clearance.access-provider.webhook.secret "
                                + "(CLEARANCE_WEBHOOK_SECRET)", "clearance.access-provider.webhook.secret-file")
                        .orElseThrow(() -> new IllegalStateException("clearance.access-provider.webhook.secret "
                                + "(CLEARANCE_WEBHOOK_SECRET) or ...secret-file is required for the webhook provider"));
                if (secret.length() < 16) {
                    throw new IllegalStateException("clearance.access-provider.webhook.secret must be at least 16 characters");
                }
                LOG.info("access provider: webhook to {}{}", WebhookAccessProvider.describe(w.url()), w.reconcile()
                        ? ", reconciled with its reconcile call"
                        : " (no reconcile call: what a failed call leaves at the receiver is revoked blind, never listed)");
                return new WebhookAccessProvider(w.url(), secret.getBytes(StandardCharsets.UTF_8), clock,
                        w.timeout() == null ? Duration.ofSeconds(10) : w.timeout(), w.reconcile());
            }
            case IdentityCenterAccessProvider.NAME -> {
                requirePermissionSets(policies);
                IdentityCenterAccessProvider provider = IdentityCenterAccessProvider.fromEnvironment(
                        new JdbcAssignmentLedger(jdbc, transactions, clock), identityCenterSettings(properties), clock);
                LOG.info("access provider: aws-identity-center, instance {}, identity store {}", provider.instanceArn(),
                        provider.identityStoreId());
                return provider;
            }
            default -> throw new IllegalStateException("clearance.access-provider.type (CLEARANCE_ACCESS_PROVIDER) is '"
                    + type + "': use none, webhook or aws-identity-center");
        }
    }

    /** With aws-identity-center every policy must say what it grants: one that does not could never be granted. */
    private static void requirePermissionSets(FilePolicySource policies) {
        ClearanceConfig config = policies.current();
        List<String> missing = new java.util.ArrayList<>();
        config.policies().stream().filter(p -> !p.grant().containsKey(PermissionSets.ATTRIBUTE))
                .forEach(p -> missing.add("policies[" + p.name() + "].grant"));
        if (!config.defaultPolicy().grant().containsKey(PermissionSets.ATTRIBUTE)) {
            missing.add("default-policy.grant");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("clearance.access-provider.type (CLEARANCE_ACCESS_PROVIDER) is aws-identity-center,"
                    + " but " + String.join(", ", missing) + " in " + policies.path() + " name no permission set: add"
                    + " grant: {permission-set: arn:aws:sso:::permissionSet/ssoins-…/ps-…} to each");
        }
    }

    static IdentityCenterSettings identityCenterSettings(ClearanceProperties properties) {
        ClearanceProperties.Aws aws = properties.accessProvider().aws();
        if (aws == null) {
            return IdentityCenterSettings.defaults();
        }
        IdentityCenterSettings d = IdentityCenterSettings.defaults();
        return new IdentityCenterSettings(Optional.ofNullable(aws.instanceArn()), Optional.ofNullable(aws.identityStoreId()),
                aws.userAttribute() == null || aws.userAttribute().isBlank() ? d.userAttributePath() : aws.userAttribute().strip(),
                aws.pollInterval() == null ? d.pollInterval() : aws.pollInterval(), aws.polls() == null ? d.polls() : aws.polls());
    }
}
