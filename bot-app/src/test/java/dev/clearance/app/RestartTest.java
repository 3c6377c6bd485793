package dev.clearance.app;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.MutableClock;
import dev.clearance.app.support.RecordingChatPlatform;
import dev.clearance.app.timers.DueTimers;
import dev.clearance.core.service.NotificationDelivery;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests and timers live in the database: stopping the application mid-flow loses nothing. */
class RestartTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final String dataDir = "./target/test-data/restart-" + UUID.randomUUID();

    @Configuration(proxyBeanMethods = false)
    static class SharedClock {
        @Bean
        @Primary
        MutableClock restartClock() {
            return CLOCK;
        }

        @Bean
        RecordingChatPlatform recordingChatPlatform() {
            return new RecordingChatPlatform();
        }
    }

    private ConfigurableApplicationContext start(boolean quartzRunning) {
        return new SpringApplicationBuilder(ClearanceApplication.class, SharedClock.class).run(
                "--server.port=0",
                "--clearance.config=../config/clearance.example.yml",
                "--clearance.api.tokens=" + ApiClient.TOKEN,
                "--clearance.data-dir=" + dataDir,
                "--clearance.outbox.poll-interval=0",
                "--clearance.chat.log.enabled=false",
                "--spring.quartz.auto-startup=" + quartzRunning,
                "--spring.quartz.scheduler-name=clearance-restart");
    }

    private static ApiClient api(ConfigurableApplicationContext ctx) {
        return new ApiClient(Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port")));
    }

    private static void settle(ConfigurableApplicationContext ctx) {
        ctx.getBean(DueTimers.class).fireDue();
        ctx.getBean(NotificationDelivery.class).drain();
    }

    @Test
    void aRestartMidFlowKeepsRequestsAndTimers() {
        CLOCK.set(Instant.parse("2026-03-02T09:00:00Z"));
        String granted;
        String pending;
        try (ConfigurableApplicationContext first = start(false)) {
            ApiClient api = api(first);
            granted = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\",\"resource\":\"ec2:StopInstances\","
                    + "\"account\":\"123456789012\",\"justification\":\"patching\",\"duration\":\"4h\"}").text("id");
            api.post("/api/v1/requests/" + granted + "/decisions",
                    "{\"approver\":\"pat@example.com\",\"decision\":\"approve\",\"reason\":\"ok\"}");
            pending = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\",\"resource\":\"ec2:StartInstances\","
                    + "\"account\":\"123456789012\",\"justification\":\"patching\"}").text("id");
            settle(first);
            assertThat(api.get("/api/v1/requests/" + granted).body().at("/grant/state").asString()).isEqualTo("ACTIVE");
        }

        CLOCK.advance(Duration.ofHours(5));
        try (ConfigurableApplicationContext second = start(false)) {
            ApiClient api = api(second);
            assertThat(api.get("/api/v1/requests/" + granted).text("status")).isEqualTo("APPROVED");
            settle(second);
            assertThat(api.get("/api/v1/requests/" + granted).text("status")).as("revoked after the restart").isEqualTo("ENDED");
            assertThat(api.get("/api/v1/requests/" + pending).text("status")).isEqualTo("PENDING");
            assertThat(api.get("/api/v1/requests/" + pending).body().get("escalationLevel").asInt())
                    .as("the escalation timer survived too").isEqualTo(1);
            CLOCK.advance(Duration.ofHours(19));
            settle(second);
            assertThat(api.get("/api/v1/requests/" + pending).text("status")).isEqualTo("EXPIRED");
        }
    }

    @Test
    void aRevocationThatBecameDueWhileDownRunsAsSoonAsQuartzStarts() throws InterruptedException {
        // Timers are stored against the clock; make it wall time so Quartz's own thread sees the trigger as misfired.
        Instant wall = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CLOCK.set(wall.minus(Duration.ofHours(2)));
        String id;
        try (ConfigurableApplicationContext first = start(false)) {
            ApiClient api = api(first);
            id = api.post("/api/v1/requests", "{\"requester\":\"alice@example.com\",\"resource\":\"ec2:RebootInstances\","
                    + "\"account\":\"123456789012\",\"justification\":\"reboot\",\"duration\":\"1h\"}").text("id");
            api.post("/api/v1/requests/" + id + "/decisions",
                    "{\"approver\":\"pat@example.com\",\"decision\":\"approve\",\"reason\":\"ok\"}");
            settle(first);
            assertThat(api.get("/api/v1/requests/" + id).body().at("/grant/state").asString()).isEqualTo("ACTIVE");
        }
        CLOCK.set(wall);
        try (ConfigurableApplicationContext second = start(true)) {
            ApiClient api = api(second);
            // Waits for Quartz's scheduler thread to pick up the misfired trigger (it does so right at startup);
            // nothing here waits for a timer's own duration.
            Instant deadline = Instant.now().plusSeconds(30);
            while (!"ENDED".equals(api.get("/api/v1/requests/" + id).text("status")) && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(api.get("/api/v1/requests/" + id).text("status")).isEqualTo("ENDED");
        }
    }
}
