package dev.clearance.app.detection;

import dev.clearance.adapters.detection.CloudTrailEvents;
import dev.clearance.adapters.detection.IdentityCenterPeople;
import dev.clearance.adapters.detection.SqsAttemptConsumer;
import dev.clearance.app.metrics.MicrometerDetectionMetrics;
import dev.clearance.core.service.AttemptDetector;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The CloudTrail detector's queue consumer, on when {@code CLEARANCE_DETECTION_QUEUE_URL} is set: AWS settings from
 * the SDK's usual chains and variables ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_SQS}, …), the identity store from
 * {@code CLEARANCE_AWS_IDENTITY_STORE_ID} and the user attribute from {@code CLEARANCE_AWS_USER_ATTRIBUTE}, as the
 * Identity Center provider reads them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${clearance.detection.queue-url:}'.isBlank()")
public class DetectionWiring {
    private static final Logger LOG = LoggerFactory.getLogger(DetectionWiring.class);

    @Bean
    DetectionConsumer detectionConsumer(AttemptDetector detector, MeterRegistry registry, Clock clock,
                                        @Value("${clearance.detection.queue-url}") String queueUrl,
                                        @Value("${clearance.detection.max-messages:10}") int maxMessages,
                                        @Value("${clearance.detection.wait-time:20s}") Duration waitTime,
                                        @Value("${clearance.detection.pollers:2}") int pollers,
                                        @Value("${clearance.access-provider.aws.identity-store-id:}") String storeId,
                                        @Value("${clearance.access-provider.aws.user-attribute:userName}") String userAttribute) {
        SqsAttemptConsumer.Settings settings;
        try {
            settings = new SqsAttemptConsumer.Settings(queueUrl.strip(), maxMessages, waitTime, pollers);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("clearance.detection (CLEARANCE_DETECTION_QUEUE_URL, clearance.detection.*): "
                    + e.getMessage(), e);
        }
        CloudTrailEvents reader = new CloudTrailEvents(IdentityCenterPeople.fromEnvironment(
                Optional.of(storeId).filter(s -> !s.isBlank()), userAttribute.isBlank() ? "userName" : userAttribute.strip(), clock));
        LOG.info("detection: consuming {} ({} pollers, up to {} messages each, long polling {})", queueUrl,
                pollers, maxMessages, waitTime);
        return new DetectionConsumer(SqsAttemptConsumer.fromEnvironment(settings, reader, detector::handle,
                new MicrometerDetectionMetrics(registry), clock));
    }

    /** Starts receiving once the application runs; stops (finishing the batch in hand) before the database closes. */
    public static final class DetectionConsumer implements SmartLifecycle {
        private final SqsAttemptConsumer consumer;

        DetectionConsumer(SqsAttemptConsumer consumer) {
            this.consumer = consumer;
        }

        @Override
        public void start() {
            consumer.start();
        }

        @Override
        public void stop() {
            consumer.close();
        }

        @Override
        public boolean isRunning() {
            return consumer.isRunning();
        }

        /** After the web server and Quartz have started; stopped before them. */
        @Override
        public int getPhase() {
            return Integer.MAX_VALUE - 100;
        }
    }
}
