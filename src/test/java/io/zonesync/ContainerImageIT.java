package io.zonesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.Http;
import io.zonesync.testing.Podman;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image {@code mvn -Pimage package} builds with Jib ({@code target/jib-image.tar}),
 * loaded into and run by a real container runtime (Debian's podman): it runs the node as a user
 * other than root, answers on its API, its health check passes while the node serves and fails
 * when it does not, a mounted configuration replaces the shipped one, and the node stops
 * gracefully on QUIT, both through {@code --stop-signal QUIT} and through the preStop command of
 * doc/kubernetes.md. Where a prerequisite is missing (root, podman, runc, the image, which
 * {@code mvn -B verify} alone does not build), the test is skipped and says what to do, as the
 * network fault tests are without root; {@code .ci/run} installs them and builds the image, so CI
 * runs it.
 */
class ContainerImageIT {
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path IMAGE_TAR = BASEDIR.resolve("target/jib-image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UID = "10001";

    @TempDir
    static Path dir;
    private static Podman podman;
    private static String image;

    @BeforeAll
    static void load() throws Exception {
        Podman.missing().ifPresent(why -> Assumptions.abort("ContainerImageIT cannot run: " + why));
        Assumptions.assumeTrue(Files.isRegularFile(IMAGE_TAR), () -> "no " + IMAGE_TAR + ": build the image first with"
                + " mvn -B -Pimage package -DskipTests (root and debootstrap; .ci/run does it)");
        podman = Podman.at(dir.resolve("podman"));
        String loaded = podman.ok(600, "load", "-i", IMAGE_TAR.toString());
        Matcher name = Pattern.compile("Loaded image(?:\\(s\\))?: (\\S+)").matcher(loaded);
        assertThat(name.find()).as(loaded).isTrue();
        image = name.group(1);
    }

    @AfterAll
    static void remove() {
        if (podman != null) {
            podman.close();
        }
    }

    @Test
    void theImageRunsTheLauncherAsANonRootUserWithAHealthCheck() throws Exception {
        JsonNode config = JSON.readTree(podman.ok(60, "image", "inspect", image)).get(0);
        assertThat(config.at("/Config/User").asText()).isEqualTo(UID + ":" + UID);
        assertThat(config.at("/Config/Entrypoint").toString())
                .isEqualTo("[\"/opt/zonesync/bin/zonesync\",\"-p\",\"/var/lib/zonesync\",\"-c\",\"/etc/zonesync/zonesync.conf\"]");
        assertThat(config.at("/Config/ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.at("/Config/Volumes").has("/var/lib/zonesync")).isTrue();
        // Jib carries the base image's health check into its result
        assertThat(config.at("/Healthcheck/Test").toString()).contains("curl", "ZONESYNC_HEALTH_URL");
    }

    /**
     * The shipped configuration, in a network namespace of its own (its port is fixed: 8080) and on
     * a read-only root file system:
     * every process of the container runs as uid 10001, the API answers inside the container, the
     * health check passes, and the preStop command of doc/kubernetes.md stops the node gracefully.
     */
    @Test
    void theShippedConfigurationServesAsNonRootIsHealthyAndTheKubernetesPreStopStopsItGracefully() throws Exception {
        // read-only, as doc/kubernetes.md runs it (podman puts a tmpfs on /tmp, as the StatefulSet an emptyDir)
        String c = podman.runDetached(List.of("--network", "none", "--read-only"), image);
        await().atMost(Duration.ofSeconds(60)).until(() -> podman.podman(30, "exec", c, "curl", "-fsS",
                "http://127.0.0.1:8080/api/9/nginx").exit() == 0);
        JsonNode nginx = JSON.readTree(podman.ok(30, "exec", c, "curl", "-fsS", "http://127.0.0.1:8080/api/9/nginx"));
        long jvm = nginx.path("pid").asLong();
        assertThat(jvm).isPositive();
        // process 1 is the launcher; the JVM is its child; both, and every other process, as 10001
        // (a process that ends between the glob and grep makes grep complain: the lines read stand)
        String uids = podman.podman(30, "exec", c, "sh", "-c", "grep -H '^Uid:' /proc/[0-9]*/status").output();
        assertThat(uids).contains("/proc/1/status:Uid:\t" + UID + "\t" + UID, "/proc/" + jvm + "/status:Uid:\t" + UID);
        assertThat(uids.lines().filter(l -> l.startsWith("/proc/")).map(l -> l.split("\t")[1]))
                .isNotEmpty().allMatch(UID::equals);
        assertThat(podman.ok(30, "exec", c, "cat", "/proc/1/cmdline")).contains("/opt/zonesync/bin/zonesync");
        assertThat(podman.podman(60, "healthcheck", "run", c).exit()).isZero();
        // the access log goes to the container's stdout
        await().atMost(Duration.ofSeconds(10)).until(() -> podman.logs(c).contains("\"GET /api/9/nginx HTTP/1.1\" 200"));

        podman.podman(90, "exec", c, "/bin/sh", "-c", preStopCommand());
        await().atMost(Duration.ofSeconds(60)).until(() -> state(c).path("Status").asText().equals("exited"));
        assertThat(state(c).path("ExitCode").asInt()).isZero();
        assertThat(podman.logs(c)).contains("shutting down gracefully").contains("zonesync stopped");
    }

    /**
     * A configuration mounted over /etc/zonesync, on the host's network: the node answers on the
     * port it names, the health check follows ZONESYNC_HEALTH_URL, fails once a reload (HUP) moves
     * the listener away while the container still runs, passes again once it is back; the image's
     * {@code -t} checks the mounted file; {@code podman stop} with {@code --stop-signal QUIT} stops
     * it gracefully.
     */
    @Test
    void aMountedConfigurationReplacesTheShippedOneAndTheHealthCheckFollowsTheNode() throws Exception {
        try (HeldPort first = new HeldPort(); HeldPort second = new HeldPort()) {
            Path conf = dir.resolve("conf");
            Files.createDirectories(conf);
            Files.writeString(conf.resolve("zonesync.conf"), config(first.port()));
            String mount = conf + ":/etc/zonesync:ro";
            Podman.Result check = podman.podman(120, "run", "--rm", "--network", "none", "--ulimit", "nofile=4096:4096",
                    "--ulimit", "nproc=4096:4096", "-v", mount, image, "-t");
            assertThat(check.exit()).as(check.errors()).isZero();
            assertThat(check.errors()).contains("/etc/zonesync/zonesync.conf test is successful");

            String url = "http://127.0.0.2:" + first.port() + "/api/9/nginx";
            String c = podman.runDetached(List.of("--network", "host", "--stop-signal", "QUIT", "-v", mount,
                    "-e", "ZONESYNC_HEALTH_URL=" + url), image);
            Http http = new Http("127.0.0.2", first.port());
            await().atMost(Duration.ofSeconds(60)).until(http::answers);
            assertThat(http.get("/api/9/nginx").statusCode()).isEqualTo(200);
            assertThat(podman.podman(60, "healthcheck", "run", c).exit()).isZero();

            Files.writeString(conf.resolve("zonesync.conf"), config(second.port()));
            podman.ok(30, "kill", "--signal", "HUP", c);
            await().atMost(Duration.ofSeconds(30)).until(() -> !http.answers());
            assertThat(new Http("127.0.0.2", second.port()).get("/api/9/nginx").statusCode()).isEqualTo(200);
            assertThat(state(c).path("Status").asText()).isEqualTo("running");
            assertThat(podman.podman(60, "healthcheck", "run", c).exit()).as("nothing answers at " + url).isNotZero();

            Files.writeString(conf.resolve("zonesync.conf"), config(first.port()));
            podman.ok(30, "kill", "--signal", "HUP", c);
            await().atMost(Duration.ofSeconds(30)).until(http::answers);
            assertThat(podman.podman(60, "healthcheck", "run", c).exit()).isZero();

            podman.ok(90, "stop", "-t", "60", c);
            assertThat(state(c).path("ExitCode").asInt()).isZero();
            assertThat(podman.logs(c)).contains("SIGQUIT").contains("shutting down gracefully");
        }
    }

    private static String config(int port) {
        return """
                pid zonesync.pid;
                error_log stderr notice;
                events { }
                http {
                    access_log off;
                    server { listen 127.0.0.2:%d; location /api { api; } }
                }
                """.formatted(port);
    }

    private static JsonNode state(String container) throws Exception {
        return JSON.readTree(podman.ok(30, "inspect", container)).get(0).path("State");
    }

    /** The shell command of the StatefulSet's preStop hook in doc/kubernetes.md. */
    private static String preStopCommand() throws Exception {
        String doc = Files.readString(BASEDIR.resolve("doc/kubernetes.md"));
        Matcher m = Pattern.compile("preStop:\\s*\\n\\s*exec:\\s*\\n\\s*command: (\\[.*])").matcher(doc);
        assertThat(m.find()).as("doc/kubernetes.md has a preStop exec command").isTrue();
        List<String> command = new ArrayList<>();
        JSON.readTree(m.group(1)).forEach(n -> command.add(n.asText()));
        assertThat(command.subList(0, 2)).containsExactly("/bin/sh", "-c");
        return command.get(2);
    }
}
