package dev.clearance.app.config;

import dev.clearance.app.chat.LogChatChannel;
import dev.clearance.app.metrics.MicrometerLifecycleMetrics;
import dev.clearance.app.store.SpringTransactions;
import dev.clearance.core.policy.ConfiguredDirectory;
import dev.clearance.core.port.AccessProvider;
import dev.clearance.core.port.ChatChannel;
import dev.clearance.core.port.Directory;
import dev.clearance.core.port.GrantSectionValidator;
import dev.clearance.core.port.LifecycleMetrics;
import dev.clearance.core.port.Outbox;
import dev.clearance.core.port.RequestStore;
import dev.clearance.core.port.SentMessages;
import dev.clearance.core.port.TimerScheduler;
import dev.clearance.core.port.Transactions;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.LifecycleContext;
import dev.clearance.core.service.LifecycleTimers;
import dev.clearance.core.service.NotificationDelivery;
import dev.clearance.core.service.RequestQueries;
import dev.clearance.core.service.RequestViews;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Clock;
import java.util.List;

/**
 * The composition root: every port gets its implementation here, and nowhere else (the access provider, and what a
 * policy's grant may say, in {@code app/access/AccessProviderWiring}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClearanceProperties.class)
public class ClearanceWiring {
    private static final Logger LOG = LoggerFactory.getLogger(ClearanceWiring.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        // Whole milliseconds, coarser than both stores keep: a time held in memory equals the one read back, so the
        // REST intake answers from what it wrote.
        return Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1));
    }

    @Bean
    FilePolicySource policySource(ClearanceProperties properties, GrantSectionValidator grants) {
        if (properties.config() == null || properties.config().isBlank()) {
            throw new IllegalStateException("clearance.config (CLEARANCE_CONFIG) is not set: point it at the policy file");
        }
        FilePolicySource source = new FilePolicySource(properties.configPath(), grants);
        LOG.info("policy file {}: {} policies, {} scopes, {} groups", properties.config(),
                source.current().policies().size(), source.current().tree().paths().size(), source.current().groups().size());
        return source;
    }

    @Bean
    Directory directory(FilePolicySource policies) {
        return new ConfiguredDirectory(policies.current());
    }

    @Bean
    Transactions transactions(PlatformTransactionManager transactionManager) {
        return new SpringTransactions(transactionManager);
    }

    @Bean
    LifecycleMetrics lifecycleMetrics(MeterRegistry registry, JdbcClient jdbc, Outbox outbox) {
        return new MicrometerLifecycleMetrics(registry, jdbc, outbox);
    }

    @Bean
    LifecycleContext lifecycleContext(RequestStore store, Outbox outbox, TimerScheduler timers, Transactions transactions,
                                      FilePolicySource policies, Directory directory, Clock clock, LifecycleMetrics metrics) {
        return new LifecycleContext(store, outbox, timers, transactions, policies, directory, clock, metrics);
    }

    @Bean
    AccessRequestService accessRequestService(LifecycleContext ctx, AccessProvider provider) {
        return new AccessRequestService(ctx, provider);
    }

    @Bean
    LifecycleTimers lifecycleTimers(LifecycleContext ctx, AccessProvider provider) {
        return new LifecycleTimers(ctx, provider);
    }

    @Bean
    dev.clearance.core.service.AttemptDetector attemptDetector(LifecycleContext ctx, AccessRequestService service,
                                                               RequestQueries queries,
                                                               dev.clearance.core.port.DetectedEvents events) {
        return new dev.clearance.core.service.AttemptDetector(ctx, service, queries, events);
    }

    @Bean
    dev.clearance.core.service.Reconciliation reconciliation(LifecycleContext ctx, AccessProvider provider) {
        return new dev.clearance.core.service.Reconciliation(ctx, provider);
    }

    @Bean
    RequestQueries requestQueries(LifecycleContext ctx, AccessProvider provider) {
        return new RequestQueries(ctx, provider);
    }

    @Bean
    RequestViews requestViews(FilePolicySource policies, Directory directory, Clock clock, RequestStore store) {
        return new RequestViews(policies, directory, clock, store);
    }

    @Bean
    NotificationDelivery notificationDelivery(LifecycleContext ctx, SentMessages sent, List<ChatChannel> channels) {
        if (channels.isEmpty()) {
            LOG.warn("no chat channel is enabled: messages wait in the outbox until one is");
        } else {
            LOG.info("chat channels: {}", channels.stream().map(ChatChannel::name).toList());
        }
        return new NotificationDelivery(ctx, sent, channels);
    }

    @Bean
    @org.springframework.core.annotation.Order(org.springframework.core.Ordered.LOWEST_PRECEDENCE)
    @org.springframework.context.annotation.Conditional(LogChannelCondition.class)
    LogChatChannel logChatChannel() {
        return new LogChatChannel();
    }
}
