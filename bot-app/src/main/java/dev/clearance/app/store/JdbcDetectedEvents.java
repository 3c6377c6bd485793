package dev.clearance.app.store;

import dev.clearance.core.model.RequestId;
import dev.clearance.core.port.DetectedEvents;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * The detector's events table (V20). A record is an insert that ignores a duplicate key, so that a redelivered event
 * answers false without aborting the transaction it joins (a failed insert would, on PostgreSQL).
 */
@Repository
public class JdbcDetectedEvents implements DetectedEvents {
    private final JdbcClient jdbc;
    private final String insertIgnoringDuplicates;

    JdbcDetectedEvents(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.insertIgnoringDuplicates = isPostgres(dataSource) ? """
                INSERT INTO detected_event (event_id, request_id, outcome, received_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING""" : """
                MERGE INTO detected_event d
                USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(20)), CAST(? AS VARCHAR(16)),
                               CAST(? AS TIMESTAMP WITH TIME ZONE))) AS e (event_id, request_id, outcome, received_at)
                ON d.event_id = e.event_id
                WHEN NOT MATCHED THEN INSERT (event_id, request_id, outcome, received_at)
                VALUES (e.event_id, e.request_id, e.outcome, e.received_at)""";
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's product name", e);
        }
    }

    @Override
    public boolean record(String eventId, RequestId request, String outcome, Instant receivedAt) {
        try {
            return jdbc.sql(insertIgnoringDuplicates).params(eventId, request == null ? null : request.value(), outcome,
                    Timestamps.bind(receivedAt)).update() == 1;
        } catch (DuplicateKeyException raced) {
            return false; // H2's MERGE can lose a race to a concurrent insert; H2 fails only the statement
        }
    }

    @Override
    public boolean seen(String eventId) {
        return jdbc.sql("SELECT COUNT(*) FROM detected_event WHERE event_id = ?").param(eventId).query(Long.class).single() > 0;
    }

    @Override
    public int attemptsOn(RequestId request) {
        return attemptsOn(jdbc, request);
    }

    /** Events counted on {@code request} (the one that opened it not among them); the request store asks it too. */
    static int attemptsOn(JdbcClient jdbc, RequestId request) {
        return jdbc.sql("SELECT COUNT(*) FROM detected_event WHERE request_id = ? AND outcome = 'counted'")
                .param(request.value()).query(Long.class).single().intValue();
    }
}
