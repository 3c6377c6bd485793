package dev.clearance.app.store;

import dev.clearance.core.model.StoreUnavailableException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Just before a transaction commits, checks that each request row it wrote is still there at the version it wrote.
 * <p>
 * Why: Quartz's JDBC job store runs inside the command's transaction, and on a lock error it may roll back the
 * connection it was handed and carry on. Work done before that rollback (the request row, its audit) would be gone
 * while work done after it (timers, outbox rows) commits: a half commit, answered 201. This check turns any such
 * damage into a failed commit, so the whole command rolls back and the caller is told to retry.
 */
final class CommitCheck implements TransactionSynchronization {
    private static final Object KEY = CommitCheck.class;
    private final JdbcClient jdbc;
    private final Map<String, Long> expected = new LinkedHashMap<>();

    private CommitCheck(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static void expect(JdbcClient jdbc, String requestId, Long version) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        CommitCheck check = (CommitCheck) TransactionSynchronizationManager.getResource(KEY);
        if (check == null) {
            check = new CommitCheck(jdbc);
            TransactionSynchronizationManager.bindResource(KEY, check);
            TransactionSynchronizationManager.registerSynchronization(check);
        }
        check.expected.put(requestId, version);
    }

    @Override
    public void beforeCommit(boolean readOnly) {
        expected.forEach((id, version) -> {
            Optional<Long> stored = jdbc.sql("SELECT version FROM access_request WHERE id = ?").param(id)
                    .query(Long.class).optional();
            if (stored.isEmpty() || !stored.get().equals(version)) {
                throw new StoreUnavailableException("the transaction writing request " + id + " lost its own changes "
                        + "before commit (found " + stored.map(String::valueOf).orElse("no row") + ", wrote version "
                        + version + "); rolled back");
            }
        });
    }

    @Override
    public void afterCompletion(int status) {
        TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
    }
}
