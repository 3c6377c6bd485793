package bench.runner;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A fresh database for each run on the PostgreSQL server the runner is given, and what the server did per event or
 * request from {@code pg_stat_statements} when the server preloads it (the statements of that database only).
 */
final class PgStats {
    private final String adminUrl;
    private final String user;
    private final String password;
    final String database;
    final boolean statements;

    PgStats(String adminUrl, String user, String password, String tag) throws SQLException {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.database = "detbench_" + tag + "_" + System.currentTimeMillis();
        try (Connection c = connect(); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            boolean loaded;
            try (ResultSet r = s.executeQuery("SHOW shared_preload_libraries")) {
                loaded = r.next() && r.getString(1).contains("pg_stat_statements");
            }
            if (loaded) {
                // in the admin database, not the new one: Flyway wants the application's schema empty
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
            statements = loaded;
        }
    }

    /** The new database's JDBC URL: the admin URL with its database name replaced. */
    String url() {
        int q = adminUrl.indexOf('?');
        String base = q < 0 ? adminUrl : adminUrl.substring(0, q);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + (q < 0 ? "" : adminUrl.substring(q));
    }

    void reset() throws SQLException {
        if (!statements) {
            return;
        }
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = ?), 0)")) {
            p.setString(1, database);
            p.execute();
        }
    }

    /** Markdown: the statements since {@link #reset()}, the most time first, per unit of {@code per} done. */
    String report(String what, int per, int top) throws SQLException {
        if (!statements) {
            return "";
        }
        List<String> rows = new ArrayList<>();
        double calls = 0;
        double millis = 0;
        double hit = 0;
        double read = 0;
        double dirtied = 0;
        double wal = 0;
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("""
                SELECT calls, total_exec_time, rows, shared_blks_hit, shared_blks_read, shared_blks_dirtied, wal_bytes, query
                FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = ?)
                ORDER BY total_exec_time DESC""")) {
            p.setString(1, database);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    calls += r.getLong(1);
                    millis += r.getDouble(2);
                    hit += r.getLong(4);
                    read += r.getLong(5);
                    dirtied += r.getLong(6);
                    wal += r.getDouble(7);
                    if (rows.size() < top) {
                        rows.add(String.format(Locale.ROOT, "| %.2f | %.3f | %.2f | %.1f | %.1f | %.1f | %.0f | `%s` |",
                                r.getLong(1) / (double) per, r.getDouble(2) / per, r.getLong(3) / (double) per,
                                r.getLong(4) / (double) per, r.getLong(5) / (double) per, r.getLong(6) / (double) per,
                                r.getDouble(7) / per, abbreviate(r.getString(8))));
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s, per one (pg_stat_statements over the phase, %d done; %s): %.1f statements,"
                        + " %.2f ms executing, %.0f shared buffers hit, %.1f read, %.1f dirtied, %.0f bytes of WAL.%n%n",
                what, per, database, calls / per, millis / per, hit / per, read / per, dirtied / per, wal / per));
        out.append("| calls | ms | rows | blocks hit | read | dirtied | WAL bytes | statement |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> out.append(r).append('\n'));
        return out.toString();
    }

    void drop() {
        try (Connection c = connect(); var s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
        } catch (SQLException e) {
            System.err.println("[detection] could not drop " + database + ": " + e.getMessage());
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(adminUrl, user, password);
    }

    private static String abbreviate(String sql) {
        String one = sql.replaceAll("\\s+", " ").replace("|", "\\|").replace("`", "'");
        return one.length() > 140 ? one.substring(0, 140) + "…" : one;
    }
}
