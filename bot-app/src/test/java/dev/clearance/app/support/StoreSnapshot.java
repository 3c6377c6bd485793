package dev.clearance.app.support;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Everything a command could change, as one comparable string: requests and versions, audit, votes, outbox, timers. */
public final class StoreSnapshot {
    private StoreSnapshot() {
    }

    public static String of(JdbcClient jdbc) {
        return jdbc.sql("SELECT COUNT(*) || ':' || COALESCE(SUM(version), 0) FROM access_request").query(String.class).single()
                + "/" + count(jdbc, "audit_event") + "/" + count(jdbc, "approval_vote") + "/" + count(jdbc, "outbox_message")
                + "/" + count(jdbc, "qrtz_triggers");
    }

    private static long count(JdbcClient jdbc, String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }
}
