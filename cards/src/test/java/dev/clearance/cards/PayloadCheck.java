package dev.clearance.cards;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes rendered payloads to a folder and checks them with the platform validators in {@code shared/tools}
 * (Slack's own {@code @slack/types} and documented limits; Microsoft's {@code adaptivecards}). CI sets
 * {@code CLEARANCE_REQUIRE_PAYLOAD_CHECKS=true}, so a missing tool fails the build there instead of skipping.
 */
public final class PayloadCheck {
    public static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private PayloadCheck() {
    }

    public static String json(Object payload) {
        return JSON.writeValueAsString(payload) + "\n";
    }

    public static void write(Path dir, String name, Object payload) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".json"), json(payload), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code shared/tools/<tool>} on the folder and asserts that every file passed. */
    public static void validate(String tool, Path dir) throws IOException, InterruptedException {
        Optional<Path> script = find(tool);
        if (script.isEmpty()) {
            boolean required = "true".equals(System.getenv("CLEARANCE_REQUIRE_PAYLOAD_CHECKS"));
            assertThat(required).as("shared/tools/" + tool + " not found above " + Path.of("").toAbsolutePath()).isFalse();
            Assumptions.abort("shared/tools/" + tool + " not found; payloads were written to " + dir + " unchecked");
        }
        Process p = new ProcessBuilder("bash", script.get().toString(), dir.toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(tool + " output:\n" + output).isZero();
        assertThat(output).contains("OK ").doesNotContain("FAIL ");
    }

    private static Optional<Path> find(String tool) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/tools").resolve(tool);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
