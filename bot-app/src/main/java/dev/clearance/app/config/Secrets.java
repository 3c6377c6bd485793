package dev.clearance.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a secret from a value or a file. Errors name the config key, never the secret. */
public final class Secrets {
    private Secrets() {
    }

    public static Optional<String> read(String value, String file, String valueKey, String fileKey) {
        if (value != null && !value.isBlank()) {
            return Optional.of(value.strip());
        }
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            throw new IllegalStateException(fileKey + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "); set " + valueKey + " or point " + fileKey + " at a readable file");
        }
    }
}
