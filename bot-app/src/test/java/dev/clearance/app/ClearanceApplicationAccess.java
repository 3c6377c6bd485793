package dev.clearance.app;

import java.io.PrintStream;

/** Test access to the package-private validate-config entry point. */
public final class ClearanceApplicationAccess {
    private ClearanceApplicationAccess() {
    }

    public static int validate(String[] args, PrintStream out, PrintStream err) {
        return ClearanceApplication.validate(args, out, err);
    }
}
