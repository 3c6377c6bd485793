package bench.runner;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The race benchmark can only fail if its receiver behaves like a naive access system: a revoke that arrives while
 * the grant still sleeps is applied first, and the grant then puts the access back. This checks that it does.
 */
class SlowReceiverTest {
    // seed 20: the first grant sleeps 0.73 of the maximum, about 1.5 s, long enough to revoke during it
    private final SlowReceiver receiver = new SlowReceiver(2_000, 20);
    private final HttpClient http = HttpClient.newHttpClient();

    SlowReceiverTest() throws Exception {
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void aRevokeDuringTheGrantIsAppliedFirstAndTheGrantLeavesTheAccessOn() throws Exception {
        CompletableFuture<HttpResponse<String>> grant = http.sendAsync(call("grant", "REQ-A"), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (receiver.sleeping() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(receiver.sleeping()).isEqualTo(1);

        assertThat(http.send(call("revoke", "REQ-A"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        assertThat(receiver.held()).doesNotContain("REQ-A");
        assertThat(receiver.timeline("REQ-A").overtook.get()).isEqualTo(1);

        assertThat(grant.get().statusCode()).isEqualTo(204);
        assertThat(receiver.held()).containsExactly("REQ-A");
        SlowReceiver.Timeline t = receiver.timeline("REQ-A");
        assertThat(t.revokeArrived).isBetween(t.grantArrived, t.grantFinished);
    }

    @Test
    void aRevokeAfterTheGrantRemovesTheAccessAndReconcileListsWhatIsHeld() throws Exception {
        assertThat(http.send(call("grant", "REQ-B"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        assertThat(http.send(call("grant", "REQ-C"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        assertThat(http.send(call("revoke", "REQ-B"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);

        assertThat(receiver.held()).containsExactly("REQ-C");
        assertThat(receiver.timeline("REQ-B").overtook.get()).isZero();
        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(receiver.url()))
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"reconcile\",\"idempotencyKey\":\"reconcile:1\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).isEqualTo("{\"held\":[{\"requestId\":\"REQ-C\"}]}");
    }

    private HttpRequest call(String action, String id) {
        return HttpRequest.newBuilder(URI.create(receiver.url())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"" + action + "\",\"requestId\":\"" + id
                        + "\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}")).build();
    }
}
