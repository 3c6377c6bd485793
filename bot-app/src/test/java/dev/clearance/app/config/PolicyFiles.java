package dev.clearance.app.config;

import dev.clearance.adapters.access.aws.PermissionSetGrants;
import dev.clearance.core.policy.ClearanceConfig;

import java.nio.file.Path;

/** The policy file loader as the application runs it: with the one {@code grant} vocabulary there is. */
public final class PolicyFiles {
    private PolicyFiles() {
    }

    public static ClearanceConfig load(Path path) {
        return PolicyFileLoader.load(path, new PermissionSetGrants());
    }

    public static ClearanceConfig parse(String name, String yaml) {
        return PolicyFileLoader.parse(name, yaml, new PermissionSetGrants());
    }

    public static PolicyFileLoader.Loaded read(Path path) {
        return PolicyFileLoader.read(path, new PermissionSetGrants());
    }

    public static PolicyFileLoader.Loaded parseWithWarnings(String name, String yaml) {
        return PolicyFileLoader.parseWithWarnings(name, yaml, new PermissionSetGrants());
    }
}
