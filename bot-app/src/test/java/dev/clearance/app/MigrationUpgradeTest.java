package dev.clearance.app;

import dev.clearance.app.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database that ran before the lock rows were seeded: Quartz had already inserted them itself, and the
 * seeding migration must not fail on them (a failed migration keeps the application from starting).
 */
class MigrationUpgradeTest {
    @Test
    void seedingTheLockRowsOnADatabaseWhereQuartzInsertedThemAlreadySucceeds() throws SQLException {
        String url;
        String user;
        String password;
        String vendor;
        if (TestDatabase.postgresRun()) {
            TestDatabase.Server server = TestDatabase.postgresServer().orElseThrow();
            url = server.createDatabase("upgrade-" + UUID.randomUUID());
            user = server.user();
            password = server.password();
            vendor = "postgresql";
        } else {
            url = "jdbc:h2:mem:upgrade-" + UUID.randomUUID() + ";DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
            user = "sa";
            password = "";
            vendor = "h2";
        }
        var config = Flyway.configure().dataSource(url, user, password)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
                .placeholders(Map.of("quartz_scheduler", "clearance"));
        config.target("4").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("INSERT INTO qrtz_locks (sched_name, lock_name) VALUES ('clearance', 'TRIGGER_ACCESS')");
        }
        config.target("latest").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM qrtz_locks WHERE sched_name = 'clearance'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }
}
