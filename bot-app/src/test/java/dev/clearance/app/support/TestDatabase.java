package dev.clearance.app.support;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the same integration tests on PostgreSQL: with {@code -Dclearance.test.database=postgresql} (the build's
 * {@code postgresql} test run), every application a test starts gets the {@code postgres} profile and a database of
 * its own on the server named by {@code CLEARANCE_TEST_PG_URL}. The database is named after the application's data
 * directory, so a test that restarts an application (same data directory) finds its data again, as on H2.
 */
public final class TestDatabase implements EnvironmentPostProcessor, Ordered {
    public static final String SELECTOR = "clearance.test.database";

    /** The server for PostgreSQL runs, if one is configured: URL of a database the tests may create others from. */
    public static Optional<Server> postgresServer() {
        String url = System.getenv("CLEARANCE_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Server(url, env("CLEARANCE_TEST_PG_USER", "postgres"), env("CLEARANCE_TEST_PG_PASSWORD", "")));
    }

    public static boolean postgresRun() {
        return "postgresql".equals(System.getProperty(SELECTOR));
    }

    @Override
    public int getOrder() {
        // after random values are available, before application.yml and its profiles are read
        return Ordered.HIGHEST_PRECEDENCE + 5;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // Tests name their data directory and scheduler with ${random.uuid}, which gives a new value at each lookup:
        // pin one value each, so that Flyway seeds Quartz's lock rows for the scheduler that really runs.
        Map<String, Object> pinned = new HashMap<>();
        Optional.ofNullable(environment.getProperty("spring.quartz.scheduler-name"))
                .ifPresent(name -> pinned.put("spring.quartz.scheduler-name", name));
        String dataDir = Optional.ofNullable(environment.getProperty("clearance.data-dir")).orElse("default");
        pinned.put("clearance.data-dir", dataDir);
        if (postgresRun()) {
            Server server = postgresServer().orElseThrow(() -> new IllegalStateException(
                    "-D" + SELECTOR + "=postgresql needs CLEARANCE_TEST_PG_URL (see scripts/postgres-for-tests.sh)"));
            pinned.put("spring.profiles.active", "postgres");
            pinned.put("CLEARANCE_DB_URL", server.createDatabase("t_" + dataDir));
            pinned.put("CLEARANCE_DB_USER", server.user());
            pinned.put("CLEARANCE_DB_PASSWORD", server.password());
            // Spring's test context cache keeps every application a test class started; at 20 connections held each,
            // forty classes with settings of their own exhaust the server ("too many clients"). An idle pool keeps one.
            pinned.put("spring.datasource.hikari.minimum-idle", "1");
            pinned.put("spring.datasource.hikari.idle-timeout", "10000");
        }
        environment.getPropertySources().addFirst(new MapPropertySource("clearance-test-pinned", pinned));
    }

    private static String env(String name, String otherwise) {
        String v = System.getenv(name);
        return v == null ? otherwise : v;
    }

    public record Server(String adminUrl, String user, String password) {
        /** Creates (once) the database for {@code key}; returns its JDBC URL. */
        public String createDatabase(String key) {
            String name = "clearance_" + hash(key);
            try (Connection c = connect(); Statement s = c.createStatement()) {
                boolean exists;
                try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                    exists = rs.next();
                }
                if (!exists) {
                    s.execute("CREATE DATABASE " + name);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create test database " + name + " on " + adminUrl, e);
            }
            return adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(adminUrl, user, password);
        }

        private static String hash(String key) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest, 0, 10);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
