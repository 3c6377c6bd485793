package dev.clearance.app.security;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.TimedAppTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With the actuator on a port of its own (MANAGEMENT_SERVER_PORT), the same rules hold there: only the probes are public. */
@TestPropertySource(properties = {"management.server.port=0", "management.server.address=127.0.0.1"})
class ManagementPortTest extends TimedAppTest {
    @LocalManagementPort
    int managementPort;

    @Test
    void onlyTheProbesArePublicOnTheManagementPort() {
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(RawHttp.send(managementPort, "GET", "/actuator/health/readiness", Map.of(), null).status()).isEqualTo(200);
        assertThat(RawHttp.send(managementPort, "GET", "/actuator/prometheus", Map.of(), null).status()).isEqualTo(401);
        assertThat(RawHttp.send(managementPort, "GET", "/actuator/%70rometheus", Map.of(), null).status()).isEqualTo(401);
        assertThat(RawHttp.send(managementPort, "GET", "/actuator/info", Map.of(), null).status()).isEqualTo(401);
        RawHttp.Answer scraped = RawHttp.send(managementPort, "GET", "/actuator/prometheus",
                Map.of("Authorization", "Bearer " + ApiClient.TOKEN), null);
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.body()).contains("clearance_outbox_backlog");
        // and the application's port no longer serves the actuator
        assertThat(RawHttp.send(port, "GET", "/actuator/prometheus", Map.of("Authorization", "Bearer " + ApiClient.TOKEN), null)
                .status()).isGreaterThanOrEqualTo(400);
    }
}
