package dev.clearance.app.teams;

import dev.clearance.app.ClearanceApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Teams set up so that another tenant's people could act does not start: the error names the setting to fix. */
class TeamsSettingsTest {
    private static void start(String... settings) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--clearance.config=../config/clearance.example.yml",
                "--clearance.data-dir=./target/test-data/teams-settings-" + UUID.randomUUID(),
                "--clearance.outbox.poll-interval=0", "--spring.quartz.auto-startup=false",
                "--spring.quartz.scheduler-name=teams-settings-" + UUID.randomUUID()));
        args.addAll(List.of(settings));
        new SpringApplicationBuilder(ClearanceApplication.class).run(args.toArray(String[]::new)).close();
    }

    @Test
    void anAppIdWithoutATenantIsRefusedNamingIt() {
        assertThatThrownBy(() -> start("--clearance.teams.app-id=11111111-2222-3333-4444-555555555555",
                "--clearance.teams.app-password=not-a-real-password"))
                .rootCause().hasMessageContaining("TEAMS_TENANT_ID");
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void developmentModeSaysWhatItOpens(org.springframework.boot.test.system.CapturedOutput output) {
        start("--clearance.teams.allow-unauthenticated=true");
        assertThat(output.getOut()).contains("TEAMS_ALLOW_UNAUTHENTICATED=true")
                .contains("anyone who can reach /api/messages can act as any Teams user")
                .contains("Clearance calls back the serviceUrl an activity names")
                .contains("Only loopback serviceUrls (localhost, 127.0.0.0/8, ::1) are accepted");
    }

    @Test
    void anUnknownEmailAttributeIsRefusedNamingIt() {
        assertThatThrownBy(() -> start("--clearance.teams.allow-unauthenticated=true",
                "--clearance.teams.email-attribute=mail"))
                .rootCause().hasMessageContaining("TEAMS_EMAIL_ATTRIBUTE");
    }
}
