package dev.clearance.app.process;

import dev.clearance.app.support.TestDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Where child applications keep their data: an H2 file in a directory, or a fresh PostgreSQL database. */
public interface TestTarget {
    String name();

    List<String> applicationArguments();

    Map<String, String> applicationEnvironment();

    /** A connection to the same database, for looking at what was really stored (after a kill, say). */
    Connection connect() throws SQLException;

    static TestTarget h2(Path dataDir) {
        return new TestTarget() {
            @Override
            public String name() {
                return "h2";
            }

            @Override
            public List<String> applicationArguments() {
                return List.of("--clearance.data-dir=" + dataDir.toAbsolutePath());
            }

            @Override
            public Map<String, String> applicationEnvironment() {
                return Map.of();
            }

            @Override
            public Connection connect() throws SQLException {
                return DriverManager.getConnection("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("clearance")
                        + ";DATABASE_TO_LOWER=TRUE;IFEXISTS=TRUE", "sa", "");
            }

            @Override
            public String toString() {
                return name();
            }
        };
    }

    static TestTarget postgres(TestDatabase.Server server, Path dataDir) {
        String url = server.createDatabase("process-" + UUID.randomUUID());
        return new TestTarget() {
            @Override
            public String name() {
                return "postgresql";
            }

            @Override
            public List<String> applicationArguments() {
                return List.of("--clearance.data-dir=" + dataDir.toAbsolutePath(), "--spring.profiles.active=postgres");
            }

            @Override
            public Map<String, String> applicationEnvironment() {
                return Map.of("CLEARANCE_DB_URL", url, "CLEARANCE_DB_USER", server.user(),
                        "CLEARANCE_DB_PASSWORD", server.password());
            }

            @Override
            public Connection connect() throws SQLException {
                return DriverManager.getConnection(url, server.user(), server.password());
            }

            @Override
            public String toString() {
                return name();
            }
        };
    }
}
