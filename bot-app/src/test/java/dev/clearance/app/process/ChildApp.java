package dev.clearance.app.process;

import dev.clearance.app.support.ApiClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged application ({@code target/clearance.jar}) as a child process, as an operator runs it: its own JVM,
 * its own port, killed with SIGKILL when a test says so.
 */
public final class ChildApp implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final String name;

    private ChildApp(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the jar with {@code args} and {@code env} on a free port and waits until it is healthy. */
    public static ChildApp start(String name, TestTarget db, Path logDir, Map<String, String> env, String... args) {
        Path jar = Path.of(System.getProperty("clearance.jar", "target/clearance.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: this test runs after `package` (./mvnw verify)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m"));
        // tests start many short-lived JVMs: C1 only starts faster; benchmarks ask for the full JIT
        String jvmArgs = System.getProperty("clearance.child.jvmArgs", "-XX:TieredStopAtLevel=1").strip();
        if (!jvmArgs.isEmpty()) {
            command.addAll(List.of(jvmArgs.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(),
                "--server.port=" + port,
                "--clearance.api.tokens=" + ApiClient.TOKEN,
                "--clearance.chat.log.enabled=true",
                "--logging.level.dev.clearance=INFO"));
        command.addAll(db.applicationArguments());
        command.addAll(List.of(args));
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(db.applicationEnvironment());
            pb.environment().putAll(env);
            ChildApp app = new ChildApp(name, pb.start(), port, log);
            app.awaitHealthy(Duration.ofSeconds(90));
            return app;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    public int port() {
        return port;
    }

    public ApiClient api() {
        return new ApiClient(port);
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as an operator or an orchestrator asks for a stop; returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** The exit code, once the process ended within {@code limit}; fails the test otherwise. */
    public int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError(name + " did not exit within " + limit + ":\n" + tail(logText()));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no graceful anything. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitHealthy(Duration limit) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(limit);
        // A bounded wait for another process to finish starting; no test waits here for a timer.
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting:\n"
                        + tail(logText()));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(100);
        }
        kill();
        throw new IllegalStateException(name + " did not become healthy within " + limit + ":\n" + tail(logText()));
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
