package dev.clearance.app;

import dev.clearance.adapters.access.aws.IdentityCenterAccessProvider;
import dev.clearance.adapters.access.aws.IdentityCenterSettings;
import dev.clearance.adapters.access.aws.PermissionSetGrants;
import dev.clearance.adapters.access.aws.PermissionSets;
import dev.clearance.app.config.PolicyFileException;
import dev.clearance.app.config.PolicyFileLoader;
import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.Limits;
import dev.clearance.core.policy.UnknownAccounts;
import dev.clearance.core.policy.Policy;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@SpringBootApplication
public class ClearanceApplication {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("validate-config")) {
            System.exit(validate(args, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("detect")) {
            String policyFile = Optional.ofNullable(System.getenv("CLEARANCE_CONFIG")).filter(v -> !v.isBlank())
                    .orElse("config/clearance.example.yml");
            System.exit(dev.clearance.app.detection.DetectCommand.run(args, policyFile,
                    dev.clearance.app.detection.DetectCommand::cloudTrailReader, System.out, System.err));
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

    /**
     * {@code validate-config [--check-aws] FILE...}: checks policy files without starting anything; exit 0 when all are
     * valid. With {@code --check-aws}, each permission set a policy grants is also looked up in IAM Identity Center
     * (DescribePermissionSet), with the same AWS settings as the aws-identity-center provider.
     */
    static int validate(String[] args, PrintStream out, PrintStream err) {
        List<String> files = new ArrayList<>(List.of(args).subList(1, args.length));
        boolean checkAws = files.remove("--check-aws");
        if (files.isEmpty()) {
            err.println("usage: java -jar clearance.jar validate-config [--check-aws] FILE [FILE...]");
            return 2;
        }
        int failures = 0;
        for (String file : files) {
            try {
                PolicyFileLoader.Loaded loaded = PolicyFileLoader.read(Path.of(file), new PermissionSetGrants());
                ClearanceConfig c = loaded.config();
                out.println("OK " + file + ": " + c.policies().size() + " policies, " + c.tree().paths().size()
                        + " scopes, " + c.groups().size() + " groups, " + c.users().size() + " users");
                loaded.warnings().forEach(w -> err.println("WARN " + w));
                out.println("   " + file + ": accounts no scope declares: " + (c.unknownAccounts() == UnknownAccounts.REFUSE
                        ? "refused" : "root scope " + c.root()) + "; limits: " + describe(c.limits()));
                if (checkAws) {
                    failures += checkPermissionSets(file, c, out, err);
                }
            } catch (PolicyFileException e) {
                failures++;
                err.println("FAIL " + e.getMessage());
            } catch (IllegalStateException | IllegalArgumentException e) {
                failures++;
                err.println("FAIL " + file + ": " + e.getMessage());
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /** The limits as the policy file would write them, "off" for a zero. */
    static String describe(Limits l) {
        return "new-request-after-denial " + (l.newRequestAfterDenial().isZero() ? "off" : l.newRequestAfterDenial().toString()
                .substring(2).toLowerCase(java.util.Locale.ROOT)) + ", open-requests-per-person "
                + (l.openRequestsPerPerson() == 0 ? "off" : l.openRequestsPerPerson()) + ", requests-per-hour-per-person "
                + (l.requestsPerHourPerPerson() == 0 ? "off" : l.requestsPerHourPerPerson());
    }

    /** DescribePermissionSet for each permission set the file's policies grant; the number that failed. */
    private static int checkPermissionSets(String file, ClearanceConfig c, PrintStream out, PrintStream err) {
        Map<String, List<String>> usedBy = new LinkedHashMap<>();
        List<Policy> all = new ArrayList<>(c.policies());
        all.add(c.defaultPolicy());
        for (Policy p : all) {
            String arn = p.grant().get(PermissionSets.ATTRIBUTE);
            if (arn != null) {
                usedBy.computeIfAbsent(arn, k -> new ArrayList<>()).add(p.name());
            }
        }
        if (usedBy.isEmpty()) {
            out.println("OK " + file + ": no policy grants a permission set; nothing to look up in AWS");
            return 0;
        }
        IdentityCenterAccessProvider aws = IdentityCenterAccessProvider.forChecks(new IdentityCenterSettings(
                Optional.ofNullable(System.getenv("CLEARANCE_AWS_INSTANCE_ARN")),
                Optional.ofNullable(System.getenv("CLEARANCE_AWS_IDENTITY_STORE_ID")),
                Optional.ofNullable(System.getenv("CLEARANCE_AWS_USER_ATTRIBUTE")).filter(v -> !v.isBlank()).orElse("userName"),
                Duration.ofSeconds(1), 1));
        int failures = 0;
        for (Map.Entry<String, List<String>> e : usedBy.entrySet()) {
            Optional<String> problem = aws.checkPermissionSet(e.getKey());
            if (problem.isPresent()) {
                failures++;
                err.println("FAIL " + file + ": policy " + String.join(", ", e.getValue()) + ": permission set " + problem.get());
            } else {
                out.println("OK " + file + ": permission set " + e.getKey() + " exists in " + aws.instanceArn()
                        + " (policy " + String.join(", ", e.getValue()) + ")");
            }
        }
        return failures;
    }
}
