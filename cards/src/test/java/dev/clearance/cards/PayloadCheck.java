package dev.clearance.cards;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes rendered payloads to a folder and checks them with the project's own validators in {@code tools/payload-check}
 * (Slack's {@code @slack/types} and Block Kit limits; Microsoft's {@code adaptivecards}, schema 1.5). Needs Node.js 20+;
 * the validators' pinned packages are installed on first use. Without Node.js the check is skipped with one line
 * saying so; CI sets {@code CLEARANCE_REQUIRE_PAYLOAD_CHECKS=true}, and there a skip is a failure.
 */
public final class PayloadCheck {
    public static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** The validators' home in the repository, from a module's directory (where Maven runs its tests). */
    private static final Path TOOL = Path.of("..", "tools", "payload-check");

    public enum Platform { SLACK, TEAMS }

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

    /** Runs the platform's validator on every file in {@code dir} and asserts that each passed. */
    public static void validate(Platform platform, Path dir) throws IOException, InterruptedException {
        assertThat(TOOL.resolve("check.js")).as("tools/payload-check is part of the repository").isRegularFile();
        if (!onPath("node") || !onPath("npm")) {
            boolean required = "true".equals(System.getenv("CLEARANCE_REQUIRE_PAYLOAD_CHECKS"));
            assertThat(required).as("Node.js 20+ (node and npm) is needed for the payload checks").isFalse();
            String why = "payload checks skipped: install Node.js 20+ (node and npm on the PATH) to check " + dir;
            System.getLogger(PayloadCheck.class.getName()).log(System.Logger.Level.WARNING, why);
            Assumptions.abort(why);
        }
        if (!Files.isDirectory(TOOL.resolve("node_modules"))) {
            run(TOOL, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        }
        String output = run(Path.of("."), "node", TOOL.resolve("check.js").toString(), platform.name().toLowerCase(),
                dir.toAbsolutePath().toString());
        assertThat(output).contains("OK ").doesNotContain("FAIL ");
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as(String.join(" ", command) + " finished").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + " in " + dir + ":\n" + output).isZero();
        return output;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
