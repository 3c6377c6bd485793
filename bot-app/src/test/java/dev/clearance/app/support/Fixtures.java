package dev.clearance.app.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real platform payloads in {@code shared/fixtures} (see its SOURCES.md), found above the working directory. */
public final class Fixtures {
    private Fixtures() {
    }

    public static String read(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/fixtures").resolve(relative);
            if (Files.isRegularFile(candidate)) {
                try {
                    return Files.readString(candidate, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("fixture shared/fixtures/" + relative + " not found above " + Path.of("").toAbsolutePath()
                + " (the shared/ folder sits beside the repository)");
    }
}
