package dev.clearance.app.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

@TestConfiguration(proxyBeanMethods = false)
public class RecordingPlatformConfig {
    /** Ordered like a chat platform: before email (30) and the log. */
    @Bean
    @org.springframework.core.annotation.Order(15)
    RecordingChatPlatform recordingChatPlatform() {
        return new RecordingChatPlatform();
    }
}
