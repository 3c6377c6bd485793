package dev.clearance.app.config;

import dev.clearance.core.policy.ClearanceConfig;
import dev.clearance.core.policy.PolicySource;
import dev.clearance.core.port.GrantSectionValidator;

import java.nio.file.Path;

/** The policy file, loaded and validated once at startup: a bad file stops the application with the problems listed. */
public final class FilePolicySource implements PolicySource {
    private final Path path;
    private final ClearanceConfig config;

    public FilePolicySource(Path path, GrantSectionValidator grants) {
        this.path = path;
        this.config = PolicyFileLoader.load(path, grants);
    }

    @Override
    public ClearanceConfig current() {
        return config;
    }

    public Path path() {
        return path;
    }
}
