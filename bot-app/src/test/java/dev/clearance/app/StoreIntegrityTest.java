package dev.clearance.app;

import dev.clearance.core.model.Origin;
import dev.clearance.app.support.AppTestBase;
import dev.clearance.core.model.AccessDuration;
import dev.clearance.core.model.AccessRequest;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.ScopePath;
import dev.clearance.core.model.Status;
import dev.clearance.core.model.StoreUnavailableException;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.port.Outbox;
import dev.clearance.core.port.RequestStore;
import dev.clearance.core.port.TimerKind;
import dev.clearance.core.port.TimerScheduler;
import dev.clearance.core.port.Transactions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's own promises, on whichever database the run uses (H2, or PostgreSQL in the postgresql run). */
class StoreIntegrityTest extends AppTestBase {
    @Autowired
    Transactions transactions;
    @Autowired
    RequestStore store;
    @Autowired
    Outbox outbox;
    @Autowired
    TimerScheduler timers;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;
    @Value("${spring.quartz.scheduler-name}")
    String schedulerName;

    /**
     * Quartz, on a lock error, may roll back the connection it shares with the command and carry on: what was written
     * before is gone, what is written after would commit. The commit check must turn that into a failed command.
     */
    @Test
    void aTransactionRolledBackUnderneathTheCommandCommitsNothing() {
        AccessRequest r = newRequest();
        String dedupe = "integrity:" + r.id();
        assertThatThrownBy(() -> transactions.run(() -> {
            store.insert(r);
            try {
                DataSourceUtils.getConnection(dataSource).rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            outbox.enqueue(OutboundMessage.to(r.requester(), NotificationKind.REQUEST_SUBMITTED, r.id(), dedupe));
            timers.schedule(r.id(), TimerKind.PENDING_EXPIRY, clock.instant().plusSeconds(60));
        })).isInstanceOf(StoreUnavailableException.class);
        assertThat(store.find(r.id())).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE dedupe_key = ?").param(dedupe).query(Long.class).single())
                .as("the outbox row written after the hidden rollback").isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM qrtz_job_details WHERE job_name = ?").param("PENDING_EXPIRY:" + r.id())
                .query(Long.class).single()).as("the timer written after the hidden rollback").isZero();
    }

    @Test
    void quartzLockRowsAreSeededByTheMigration() {
        List<String> locks = jdbc.sql("SELECT lock_name FROM qrtz_locks WHERE sched_name = ? ORDER BY lock_name")
                .param(schedulerName).query(String.class).list();
        assertThat(locks).containsExactly("STATE_ACCESS", "TRIGGER_ACCESS");
    }

    /** Two transactions enqueue one message; the second waits on the first's uncommitted row. Both commit, one row. */
    @Test
    void concurrentEnqueuesOfOneMessageBothSucceedAndLeaveOneRow() throws Exception {
        String dedupe = "race:" + UUID.randomUUID();
        OutboundMessage m = OutboundMessage.to(UserEmail.of("alice@example.com"), NotificationKind.REQUEST_SUBMITTED,
                RequestId.random(), dedupe);
        CountDownLatch firstEnqueued = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.run(() -> {
            outbox.enqueue(m);
            firstEnqueued.countDown();
            await(secondStarted);
            // lets the second transaction reach the unique index and wait on this one's uncommitted row
            pause();
        }));
        CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> transactions.inTransaction(() -> {
            await(firstEnqueued);
            secondStarted.countDown();
            outbox.enqueue(m);
            // a transaction aborted by a unique violation (PostgreSQL) would fail here and at commit
            return jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE dedupe_key = ?").param(dedupe).query(Long.class).single();
        }));
        first.get(30, TimeUnit.SECONDS);
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(1L);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE dedupe_key = ?").param(dedupe).query(Long.class).single())
                .isEqualTo(1L);
    }

    private AccessRequest newRequest() {
        return AccessRequest.create(AccessRequest.builder().id(RequestId.random())
                .requester(UserEmail.of("alice@example.com")).resource("ec2:Integrity" + UUID.randomUUID())
                .account("123456789012").scope(ScopePath.parse("scope", "org/prod")).policyName("default")
                .createdAt(clock.instant()).requestedDuration(AccessDuration.parse("1h")).status(Status.REQUESTED)
                .justificationDeadline(clock.instant().plusSeconds(3600)), clock.instant(), "integrity test", Origin.api("test"));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
