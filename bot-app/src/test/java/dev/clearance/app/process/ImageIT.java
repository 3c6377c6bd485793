package dev.clearance.app.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image built by {@code ./mvnw -DskipTests -Pimage package} (bot-app/target/jib-image.tar): its
 * configuration, and the image itself run as a container would run it, without a container engine: its layers
 * unpacked into a root file system and its entrypoint started there by {@code chroot} as its non-root user. Skipped,
 * with a line saying why, when the tar was not built or this is not root; {@code CLEARANCE_REQUIRE_IMAGE=true} (CI)
 * makes either a failure.
 */
class ImageIT {
    private static final Logger LOG = LoggerFactory.getLogger(ImageIT.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path TAR = Path.of("target/jib-image.tar");
    private final List<Path> mounts = new ArrayList<>();
    private Process app;

    @AfterEach
    void cleanUp() throws Exception {
        if (app != null && app.isAlive()) {
            app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        for (Path m : mounts) {
            run(List.of(tool("umount").orElse("umount"), m.toString()));
        }
    }

    @Test
    void theImageIsConfiguredForANonRootUserAndStartsHealthyAndStopsCleanly() throws Exception {
        boolean required = "true".equals(System.getenv("CLEARANCE_REQUIRE_IMAGE"));
        if (!Files.isRegularFile(TAR)) {
            assertThat(required).as("CLEARANCE_REQUIRE_IMAGE is set: build the image first (./mvnw -DskipTests -Pimage package)").isFalse();
            LOG.warn("Image test SKIPPED: {} does not exist (./mvnw -DskipTests -Pimage package builds it)", TAR);
            Assumptions.abort("no image tar");
        }
        Path dir = Files.createTempDirectory("clearance-image");
        assertThat(run(List.of("tar", "-xf", TAR.toAbsolutePath().toString(), "-C", dir.toString()))).isZero();
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile()).get(0);
        assertThat(manifest.get("RepoTags").toString()).contains("clearance:latest");
        JsonNode config = JSON.readTree(dir.resolve(manifest.get("Config").asString()).toFile()).get("config");
        assertThat(config.get("User").asString()).as("not root").isEqualTo("10001:0");
        assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.get("Volumes").has("/data")).isTrue();
        assertThat(config.get("Env").toString()).contains("CLEARANCE_DATA_DIR=/data", "PATH=/opt/java/bin");
        assertThat(config.get("Entrypoint").get(0).asString()).isEqualTo("java");

        java.util.Optional<String> chroot = tool("chroot");
        java.util.Optional<String> mount = tool("mount");
        if (!isRoot() || chroot.isEmpty() || mount.isEmpty()) {
            assertThat(required).as("CLEARANCE_REQUIRE_IMAGE is set: running the image needs root, chroot and mount").isFalse();
            LOG.warn("Image test: configuration checked; running it SKIPPED (it needs root, chroot and mount)");
            return;
        }
        Path root = dir.resolve("rootfs");
        Files.createDirectories(root);
        // the image's / as a container engine makes it: searchable by everyone (temp directories are 700)
        Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        for (JsonNode layer : manifest.get("Layers")) {
            assertThat(run(List.of("tar", "-xzf", dir.resolve(layer.asString()).toString(), "-C", root.toString(),
                    "--same-permissions", "--warning=no-unknown-keyword"))).isZero();
        }
        assertThat(root.resolve("opt/java/bin/java")).isExecutable();
        // what a container engine provides: /proc, and name resolution for localhost
        Files.createDirectories(root.resolve("proc"));
        assertThat(run(List.of(mount.get(), "-t", "proc", "proc", root.resolve("proc").toString()))).isZero();
        mounts.add(root.resolve("proc"));
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost\n");

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(chroot.get(), "--userspec=" + config.get("User").asString(), root.toString(),
                "/opt/java/bin/java"));
        config.get("Entrypoint").forEach(arg -> command.add(arg.asString()));
        command.remove(4); // "java": the absolute path above replaces it (chroot does not search the image's PATH)
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target/image-run.log").toFile());
        pb.environment().clear();
        config.get("Env").forEach(e -> {
            String[] kv = e.asString().split("=", 2);
            pb.environment().put(kv[0], kv[1]);
        });
        pb.environment().put("SERVER_PORT", Integer.toString(port));
        pb.environment().put("CLEARANCE_API_TOKENS", "image-test-token-0123456789");
        app = pb.start();

        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(120);
        int status = 0;
        while (status != 200) {
            assertThat(app.isAlive()).as("the image's process exited; see bot-app/target/image-run.log").isTrue();
            assertThat(Instant.now()).as("healthy within 2 minutes; see bot-app/target/image-run.log").isBefore(deadline);
            try {
                status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        // the image's own health check command, as a compose file or an orchestrator would run it
        List<String> healthcheck = new ArrayList<>(command);
        healthcheck.add("healthcheck");
        ProcessBuilder check = new ProcessBuilder(healthcheck).redirectErrorStream(true);
        check.environment().put("SERVER_PORT", Integer.toString(port));
        assertThat(check.start().waitFor()).as("java … healthcheck inside the image").isZero();
        assertThat(Files.exists(root.resolve("data/clearance.mv.db"))).as("H2 writes to the /data volume as the non-root user").isTrue();

        app.toHandle().destroy(); // SIGTERM, as a container engine stops a container
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("stops within a minute of SIGTERM").isTrue();
        assertThat(app.exitValue()).as("exit code after SIGTERM; see bot-app/target/image-run.log").isZero();
    }

    /** A system program, on the PATH or in the sbin directories (not always on a user's PATH). */
    private static java.util.Optional<String> tool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable)
                .map(Path::toString).findFirst();
    }

    private static boolean isRoot() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        return new String(p.getInputStream().readAllBytes()).trim().equals("0") && p.waitFor() == 0;
    }

    private static int run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        if (rc != 0) {
            LOG.warn("{} exited {}: {}", command, rc, out);
        }
        return rc;
    }
}
