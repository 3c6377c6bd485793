package dev.clearance.app;

import dev.clearance.app.config.PolicyFileException;
import dev.clearance.app.config.PolicyFileLoader;
import dev.clearance.core.policy.ClearanceConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.io.PrintStream;
import java.nio.file.Path;

@SpringBootApplication
public class ClearanceApplication {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("validate-config")) {
            System.exit(validate(args, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("healthcheck")) {
            System.exit(healthcheck(System.getenv().getOrDefault("SERVER_PORT", "8080"), System.err));
        }
        exitZeroOnTerm();
        SpringApplication.run(ClearanceApplication.class, args);
    }

    /**
     * SIGTERM is how a container engine, systemd or an orchestrator asks for a stop. It runs the same shutdown as
     * always (in-flight HTTP requests finish, the outbox stops claiming, running Quartz jobs finish) and then exits 0,
     * not the JVM's 143: a requested stop that completed is not a failure.
     */
    private static void exitZeroOnTerm() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> new Thread(() -> System.exit(0), "sigterm").start());
        } catch (IllegalArgumentException unsupported) {
            // no SIGTERM on this platform: the JVM's default handling stays
        }
    }

    /**
     * {@code healthcheck}: asks the running application on this host whether it is ready; exit 0 when it is. For
     * container health checks in images without curl (the Jib image has a JRE and nothing else).
     */
    static int healthcheck(String port, PrintStream err) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                            .timeout(java.time.Duration.ofSeconds(5)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return 0;
            }
            err.println("not ready: HTTP " + r.statusCode() + " " + r.body());
        } catch (java.io.IOException e) {
            err.println("not ready: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 1;
    }

    /** {@code validate-config FILE...}: checks policy files without starting anything; exit 0 when all are valid. */
    static int validate(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.println("usage: java -jar clearance.jar validate-config FILE [FILE...]");
            return 2;
        }
        int failures = 0;
        for (int i = 1; i < args.length; i++) {
            try {
                ClearanceConfig c = PolicyFileLoader.load(Path.of(args[i]));
                out.println("OK " + args[i] + ": " + c.policies().size() + " policies, " + c.tree().paths().size()
                        + " scopes, " + c.groups().size() + " groups, " + c.users().size() + " users");
            } catch (PolicyFileException e) {
                failures++;
                err.println("FAIL " + e.getMessage());
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
