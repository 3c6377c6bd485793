package dev.clearance.app.web;

import dev.clearance.app.support.AppTestBase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Without an identity provider, the web page is off: {@code /} says how to turn it on, and nothing else answers. */
class WebPageOffTest extends AppTestBase {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRootPageSaysHowToTurnTheWebPageOnAndNothingElseIsServed() throws Exception {
        HttpResponse<String> root = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/")));
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).contains("The web page is off").contains("CLEARANCE_OIDC_ISSUER_URI")
                .contains("CLEARANCE_OIDC_CLIENT_ID").contains("CLEARANCE_OIDC_CLIENT_SECRET");
        assertThat(root.headers().firstValue("Content-Security-Policy")).contains(WebSecurityConfiguration.CONTENT_SECURITY_POLICY);
        assertThat(root.headers().firstValue("Set-Cookie")).as("no session without sign-in").isEmpty();

        String id = intake("alice@example.com", "ec2:StopInstances", "210987654321");
        assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/requests/" + id))).statusCode())
                .isEqualTo(403);
        assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/requests/" + id + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(403);
        assertThat(status(id)).isEqualTo("REQUESTED");
        // the REST API is untouched: its bearer token, and a 401 without one
        assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/requests/" + id))).statusCode())
                .isEqualTo(401);
        withdraw(id, "alice@example.com");
        assertThat(status(id)).isEqualTo("CANCELLED");
    }
}
