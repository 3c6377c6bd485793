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
        SpringApplication.run(ClearanceApplication.class, args);
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
