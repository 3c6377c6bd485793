package dev.clearance.app.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

@TestConfiguration(proxyBeanMethods = false)
public class RecordingPlatformConfig {
    @Bean
    RecordingChatPlatform recordingChatPlatform() {
        return new RecordingChatPlatform();
    }
}
