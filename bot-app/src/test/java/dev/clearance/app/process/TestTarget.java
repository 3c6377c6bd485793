package dev.clearance.app.process;

import dev.clearance.app.support.TestDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where child applications keep their data: an H2 file in a directory, or a fresh PostgreSQL database.
 *
 * @param applicationArguments   what the application is started with to use it
 * @param applicationEnvironment the environment the application is started with
 * @param url, user, password    the same database, for looking at what was really stored (after a kill, say)
 */
public record TestTarget(String name, List<String> applicationArguments, Map<String, String> applicationEnvironment,
                         String url, String user, String password) {

    public static TestTarget h2(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        return new TestTarget("h2", List.of("--clearance.data-dir=" + dir), Map.of(),
                "jdbc:h2:file:" + dir.resolve("clearance") + ";DATABASE_TO_LOWER=TRUE;IFEXISTS=TRUE", "sa", "");
    }

    public static TestTarget postgres(TestDatabase.Server server, Path dataDir) {
        String url = server.createDatabase("process-" + UUID.randomUUID());
        return new TestTarget("postgresql",
                List.of("--clearance.data-dir=" + dataDir.toAbsolutePath(), "--spring.profiles.active=postgres"),
                Map.of("CLEARANCE_DB_URL", url, "CLEARANCE_DB_USER", server.user(), "CLEARANCE_DB_PASSWORD", server.password()),
                url, server.user(), server.password());
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    @Override
    public String toString() {
        return name;
    }
}
