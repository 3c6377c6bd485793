package dev.clearance.app.store;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.notify.NotificationKind;
import dev.clearance.core.notify.OutboundMessage;
import dev.clearance.core.port.Outbox;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox table. Messages are claimed with a conditional update (a lease), so that several dispatchers (or several
 * instances) never deliver the same message at once.
 */
@Repository
public class JdbcOutbox implements Outbox {
    private static final TypeReference<Map<String, String>> PARAMS = new TypeReference<>() {
    };
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final OutboxSignal signal;
    /** This process's name on its claims. */
    private final String owner = UUID.randomUUID().toString();
    private final String insertIgnoringDuplicates;

    JdbcOutbox(JdbcClient jdbc, JsonMapper json, Clock clock, OutboxSignal signal, DataSource dataSource) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.signal = signal;
        this.insertIgnoringDuplicates = isPostgres(dataSource) ? """
                INSERT INTO outbox_message (dedupe_key, kind, request_id, recipient, params, state, attempts,
                                            created_at, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)
                ON CONFLICT (dedupe_key) DO NOTHING""" : """
                MERGE INTO outbox_message o
                USING (VALUES (CAST(? AS VARCHAR(600)), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(20)),
                               CAST(? AS VARCHAR(254)), CAST(? AS VARCHAR(4000)), CAST(? AS TIMESTAMP WITH TIME ZONE),
                               CAST(? AS TIMESTAMP WITH TIME ZONE)))
                      AS m (dedupe_key, kind, request_id, recipient, params, created_at, next_attempt_at)
                ON o.dedupe_key = m.dedupe_key
                WHEN NOT MATCHED THEN INSERT (dedupe_key, kind, request_id, recipient, params, state, attempts,
                                              created_at, next_attempt_at)
                VALUES (m.dedupe_key, m.kind, m.request_id, m.recipient, m.params, 'PENDING', 0, m.created_at,
                        m.next_attempt_at)""";
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's product name", e);
        }
    }

    /**
     * An upsert on the dedupe key: two transactions enqueueing the same message (on one instance or two) both
     * succeed and one row results. A plain check-then-insert would abort the loser's transaction on PostgreSQL.
     */
    @Override
    public void enqueue(OutboundMessage m) {
        Instant now = clock.instant();
        try {
            jdbc.sql(insertIgnoringDuplicates)
                    .params(m.dedupeKey(), m.kind().name(), m.requestId().map(RequestId::value).orElse(null),
                            m.recipient().map(UserEmail::value).orElse(null), json.writeValueAsString(m.params()),
                            Timestamps.bind(now), Timestamps.bind(now))
                    .update();
        } catch (DuplicateKeyException raced) {
            // H2's MERGE can still lose a race to a concurrent insert; H2 fails only the statement, not the transaction
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    signal.raise();
                }
            });
        } else {
            signal.raise();
        }
    }

    @Override
    public List<PendingDelivery> claimDue(Instant now, int limit, Duration lease) {
        // In doubt: a post may have reached the platform without this outbox knowing, so the platform is asked
        // first. Either a claim ran out unfinished (delivered, retryAt and failed all clear claimed_until: its owner
        // died mid-delivery), or an earlier attempt failed, and a failure such as a timeout says nothing about
        // whether the platform took the post (TwoInstancesIT saw such timed-out posts go out twice).
        Map<Long, Boolean> candidates = new java.util.LinkedHashMap<>();
        jdbc.sql("""
                        SELECT id, claimed_until, attempts FROM outbox_message
                        WHERE state = 'PENDING' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
                        ORDER BY id LIMIT ?""")
                .params(Timestamps.bind(now), Timestamps.bind(now), limit)
                .query((org.springframework.jdbc.core.RowCallbackHandler)
                        rs -> candidates.put(rs.getLong("id"), rs.getObject("claimed_until") != null || rs.getInt("attempts") > 0));
        List<PendingDelivery> claimed = new ArrayList<>();
        for (var candidate : candidates.entrySet()) {
            long id = candidate.getKey();
            boolean inDoubt = candidate.getValue();
            int won = jdbc.sql("""
                            UPDATE outbox_message SET claimed_until = ?, claimed_by = ?
                            WHERE id = ? AND state = 'PENDING' AND (claimed_until IS NULL OR claimed_until < ?)""")
                    .params(Timestamps.bind(now.plus(lease)), owner, id, Timestamps.bind(now)).update();
            if (won == 1) {
                claimed.add(jdbc.sql("SELECT * FROM outbox_message WHERE id = ?").param(id)
                        .query((rs, n) -> new PendingDelivery(rs.getLong("id"), new OutboundMessage(
                                NotificationKind.valueOf(rs.getString("kind")),
                                Optional.ofNullable(rs.getString("request_id")).map(RequestId::new),
                                Optional.ofNullable(rs.getString("recipient")).map(UserEmail::of),
                                rs.getString("dedupe_key"), json.readValue(rs.getString("params"), PARAMS)),
                                rs.getInt("attempts"),
                                inDoubt ? Optional.of(Timestamps.read(rs, "created_at")) : Optional.empty()))
                        .single());
            }
        }
        return claimed;
    }

    @Override
    public void releaseClaims() {
        jdbc.sql("UPDATE outbox_message SET claimed_until = NULL, claimed_by = NULL WHERE claimed_by = ? AND state = 'PENDING'")
                .param(owner).update();
    }

    @Override
    public void renewClaims(Instant now, Duration lease) {
        jdbc.sql("""
                        UPDATE outbox_message SET claimed_until = ?
                        WHERE claimed_by = ? AND state = 'PENDING' AND claimed_until >= ?""")
                .params(Timestamps.bind(now.plus(lease)), owner, Timestamps.bind(now)).update();
    }

    @Override
    public void delivered(long id, Instant at) {
        jdbc.sql("UPDATE outbox_message SET state = 'DELIVERED', delivered_at = ?, claimed_until = NULL WHERE id = ?")
                .params(Timestamps.bind(at), id).update();
    }

    @Override
    public void retryAt(long id, Instant next, String error) {
        jdbc.sql("""
                        UPDATE outbox_message SET attempts = attempts + 1, next_attempt_at = ?, claimed_until = NULL,
                                                  last_error = ? WHERE id = ?""")
                .params(Timestamps.bind(next), truncate(error), id).update();
    }

    @Override
    public void failed(long id, Instant at, String error) {
        jdbc.sql("""
                        UPDATE outbox_message SET state = 'FAILED', attempts = attempts + 1, claimed_until = NULL,
                                                  last_error = ?, delivered_at = ? WHERE id = ?""")
                .params(truncate(error), Timestamps.bind(at), id).update();
    }

    @Override
    public long backlog() {
        return jdbc.sql("SELECT COUNT(*) FROM outbox_message WHERE state = 'PENDING'").query(Long.class).single();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1999) + "…";
    }
}
