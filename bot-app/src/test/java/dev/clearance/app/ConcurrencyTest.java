package dev.clearance.app;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.AppTestBase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Racing decisions: compare-and-swap lets exactly one apply; the loser is told who decided. */
class ConcurrencyTest extends AppTestBase {
    @Test
    void twoConcurrentDecisionsNeverBothApply() throws Exception {
        for (int round = 0; round < 5; round++) {
            String id = intake("hal@example.com", "ecs:UpdateService-" + round, "123456789012");
            justify(id, "hal@example.com", null);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<ApiClient.Response>> results = new ArrayList<>();
            for (String[] vote : new String[][]{{"pat@example.com", "approve"}, {"pia@example.com", "deny"}}) {
                Callable<ApiClient.Response> call = () -> {
                    go.await();
                    return decide(id, vote[0], vote[1]);
                };
                results.add(pool.submit(call));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<ApiClient.Response> f : results) {
                statuses.add(f.get().status());
            }
            pool.shutdown();
            assertThat(statuses).containsExactlyInAnyOrder(200, 409);
            ApiClient.Response loser = results.get(statuses.indexOf(409)).get();
            assertThat(loser.text("detail")).containsAnyOf("already approved by", "already denied by");
            String finalStatus = status(id);
            assertThat(finalStatus).isIn("APPROVED", "DENIED");
            long decisions = get(id).body().get("audit").valueStream()
                    .filter(e -> e.get("to").asString().equals(finalStatus) && !e.get("from").asString().equals(finalStatus)).count();
            assertThat(decisions).isEqualTo(1);
        }
    }
}
