package dev.clearance.app;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.TimedAppTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document, when asked for with CLEARANCE_API_DOCS=true, describes every call of the API. */
@TestPropertySource(properties = "springdoc.api-docs.enabled=true")
class ApiDocsTest extends TimedAppTest {

    @Test
    void theOpenApiDocumentListsTheLifecycleCalls() {
        ApiClient.Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.raw()).contains("\"openapi\"", "/api/v1/requests/{id}/decisions", "/api/v1/requests/{id}/extend",
                "/api/v1/requests/{id}/revoke");
    }
}
