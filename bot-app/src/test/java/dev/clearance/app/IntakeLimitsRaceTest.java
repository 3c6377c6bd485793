package dev.clearance.app;

import dev.clearance.app.support.ApiClient;
import dev.clearance.app.support.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-person limits hold against intakes sent at once (policy/clearance-limits.yml: 3 open requests). Found by
 * the penetration test of issue 19: the limits were counted outside the intake's transaction, so 16 intakes sent
 * together by one person (a web form posted from a script, an integration) all passed a limit of 10.
 */
@TestPropertySource(properties = "clearance.config=src/test/resources/policy/clearance-limits.yml")
class IntakeLimitsRaceTest extends AppTestBase {
    private static final int AT_ONCE = 8;
    @Autowired
    JdbcClient jdbc;

    private long open(String requester) {
        return jdbc.sql("SELECT COUNT(*) FROM access_request WHERE requester = ? AND status IN ('REQUESTED', 'PENDING')")
                .params(requester).query(Long.class).single();
    }

    @Test
    void intakesSentAtOnceCannotPassTheOpenRequestLimit() throws Exception {
        String who = "racer@example.com";
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(AT_ONCE);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < AT_ONCE; i++) {
                String resource = "ec2:DescribeInstances" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.post("/api/v1/requests", "{\"requester\":\"" + who + "\",\"resource\":\"" + resource
                            + "\",\"account\":\"210987654321\"}").status();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(statuses).as("answers").containsOnly(201, 429);
            assertThat(statuses.stream().filter(s -> s == 201).count()).as("created, answers " + statuses).isEqualTo(3);
            assertThat(open(who)).as("open requests stored").isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
        ApiClient.Response after = api.post("/api/v1/requests", "{\"requester\":\"" + who + "\",\"resource\":"
                + "\"ec2:RebootInstances\",\"account\":\"210987654321\"}");
        assertThat(after.status()).isEqualTo(429);
    }
}
