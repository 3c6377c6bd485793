package dev.clearance.app.web;

import dev.clearance.app.ClearanceApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A web page half configured does not start: the error names the setting to fix. */
class WebPageSettingsTest {
    private static void start(String... settings) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--clearance.config=../config/clearance.example.yml",
                "--clearance.data-dir=./target/test-data/web-settings-" + UUID.randomUUID(),
                "--clearance.outbox.poll-interval=0", "--spring.quartz.auto-startup=false",
                "--spring.quartz.scheduler-name=web-settings-" + UUID.randomUUID()));
        args.addAll(List.of(settings));
        new SpringApplicationBuilder(ClearanceApplication.class).run(args.toArray(String[]::new)).close();
    }

    @Test
    void anIssuerWithoutAClientIdIsRefusedNamingIt() {
        assertThatThrownBy(() -> start("--clearance.web.oidc.issuer-uri=http://127.0.0.1:9/realms/x"))
                .rootCause().hasMessageContaining("CLEARANCE_OIDC_CLIENT_ID");
    }

    @Test
    void aClientWithoutASecretIsRefusedNamingIt() {
        assertThatThrownBy(() -> start("--clearance.web.oidc.issuer-uri=http://127.0.0.1:9/realms/x",
                "--clearance.web.oidc.client-id=clearance"))
                .rootCause().hasMessageContaining("CLEARANCE_OIDC_CLIENT_SECRET");
    }

    @Test
    void anIssuerThatCannotBeReadIsRefusedNamingIt() {
        assertThatThrownBy(() -> start("--clearance.web.oidc.issuer-uri=http://127.0.0.1:9/realms/x",
                "--clearance.web.oidc.client-id=clearance", "--clearance.web.oidc.client-secret=s3cret-for-tests"))
                .hasStackTraceContaining("CLEARANCE_OIDC_ISSUER_URI").hasStackTraceContaining("http://127.0.0.1:9/realms/x");
    }
}
