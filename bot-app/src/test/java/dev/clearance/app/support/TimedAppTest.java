package dev.clearance.app.support;

import dev.clearance.app.timers.DueTimers;
import dev.clearance.core.service.NotificationDelivery;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Starts the whole application (real H2 file database, Flyway, Quartz JDBC job store, outbox, REST API) with a
 * hand-moved clock. Quartz's own thread is not started: {@link #advance} walks the clock to each stored timer's due
 * time and runs it with the same job code, then delivers the outbox, so no test waits for the wall clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {
        "clearance.config=src/test/resources/policy/clearance-test.yml",
        "clearance.api.tokens=" + ApiClient.TOKEN,
        "clearance.data-dir=./target/test-data/${random.uuid}",
        "clearance.outbox.poll-interval=0",
        "clearance.chat.log.enabled=false",
        "spring.quartz.auto-startup=false",
        "spring.quartz.scheduler-name=clearance-test-${random.uuid}"})
@Import(IntegrationTestConfig.class)
public abstract class TimedAppTest {
    @LocalServerPort
    protected int port;
    @Autowired
    protected MutableClock clock;
    @Autowired
    protected DueTimers dueTimers;
    @Autowired
    protected NotificationDelivery delivery;
    protected ApiClient api;

    @BeforeEach
    void connect() {
        api = new ApiClient(port);
    }

    /** Moves time forward, firing every stored timer at its due time, and delivers what that sends. */
    protected void advance(Duration d) {
        Instant target = clock.instant().plus(d);
        settle();
        for (Optional<Instant> next = dueTimers.nextDueAt(); next.isPresent() && !next.get().isAfter(target);
             next = dueTimers.nextDueAt()) {
            if (next.get().isAfter(clock.instant())) {
                clock.set(next.get());
            }
            settle();
        }
        clock.set(target);
        settle();
    }

    /** Runs timers due now (e.g. a grant right after approval) and delivers the outbox. */
    protected void settle() {
        do {
            dueTimers.fireDue();
        } while (delivery.drain() > 0 && dueTimers.nextDueAt().filter(t -> !t.isAfter(clock.instant())).isPresent());
        dueTimers.fireDue();
        delivery.drain();
    }

    // ----- the API, in the words of the lifecycle

    protected String intake(String requester, String resource, String account) {
        ApiClient.Response r = api.post("/api/v1/requests", "{\"requester\":\"" + requester + "\",\"resource\":\"" + resource
                + "\",\"account\":\"" + account + "\"}");
        if (r.status() != 201) {
            throw new AssertionError("intake answered " + r.status() + ": " + r.raw());
        }
        return r.text("id");
    }

    protected ApiClient.Response justify(String id, String actor, String duration) {
        return api.post("/api/v1/requests/" + id + "/justification", "{\"actor\":\"" + actor
                + "\",\"justification\":\"INC-4711: clean up the broken bucket\"" + (duration == null ? "" : ",\"duration\":\"" + duration + "\"") + "}");
    }

    protected ApiClient.Response decide(String id, String approver, String decision) {
        return api.post("/api/v1/requests/" + id + "/decisions", "{\"approver\":\"" + approver + "\",\"decision\":\""
                + decision + "\",\"reason\":\"checked with the on-call\"}");
    }

    /**
     * The requester withdraws (or gives back) the request and what follows is delivered. Tests sharing one
     * application call it at the end, so that no open request escalates into another test's inboxes.
     */
    protected void withdraw(String id, String requester) {
        api.post("/api/v1/requests/" + id + "/cancel", "{\"actor\":\"" + requester + "\"}");
        settle();
    }

    protected ApiClient.Response get(String id) {
        return api.get("/api/v1/requests/" + id);
    }

    protected String status(String id) {
        return get(id).text("status");
    }
}
