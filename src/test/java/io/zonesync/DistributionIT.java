package io.zonesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.HeldPort;
import io.zonesync.testing.Http;
import io.zonesync.testing.NodeProcess;
import io.zonesync.testing.SystemdLab;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball {@code mvn package} makes ({@code target/zonesync-VERSION-dist.tar.gz}):
 * unpacked anywhere, it checks and runs the shipped configuration and a node from any working
 * directory, with nothing of the checkout; and its systemd unit passes {@code systemd-analyze
 * verify} with the paths of where it was unpacked, and runs a node under a real systemd installed
 * as the unit's comments say.
 */
class DistributionIT {
    private static final Path TARGET = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target");

    @TempDir
    Path dir;
    private Path home;

    @BeforeEach
    void unpack() throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(TARGET)) {
            tarball = files.filter(p -> p.getFileName().toString().endsWith("-dist.tar.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no distribution tarball in " + TARGET));
        }
        assertThat(run(dir, "tar", "-xzf", tarball.toString(), "-C", dir.toString()).exit).isZero();
        try (Stream<Path> top = Files.list(dir)) {
            home = top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path cwd, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within 60 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void holdsWhatItShouldAndChecksTheShippedConfigurationFromAnyDirectory() throws Exception {
        assertThat(home.resolve("bin/zonesync")).isExecutable();
        assertThat(home.resolve("conf/zonesync.conf")).isRegularFile();
        assertThat(home.resolve("systemd/zonesync.service")).isRegularFile();
        assertThat(home.resolve("doc/operations.md")).isRegularFile();
        assertThat(home.resolve("doc/api/openapi.yaml")).isRegularFile();
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("zonesync-.*\\.jar"))
                    .anyMatch(n -> n.startsWith("netty-"));
        }
        Result t = run(Path.of("/"), home.resolve("bin/zonesync").toString(), "-t");
        assertThat(t.exit).as(t.output).isZero();
        assertThat(t.output).contains(home.resolve("conf/zonesync.conf") + " test is successful");
        // a configuration test loads few classes: it writes no class-data archive for the node to map
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("zonesync-cds-"));
        }
    }

    /**
     * zone_sync without TLS in a fresh JVM: checking the {@code zone_sync_ssl_*} settings while
     * off once called into the TLS library before it was loaded, and -t (and a start) died with an
     * UnsatisfiedLinkError when none was set.
     */
    @Test
    void checksZoneSyncWithoutTlsAndWithABadTlsSettingWhileOff() throws Exception {
        Path plain = dir.resolve("plain.conf");
        Files.writeString(plain, "events { }\nstream { server { listen 127.0.0.1:0; zone_sync;"
                + " zone_sync_server 127.0.0.1:1; } }\n");
        Result ok = run(dir, home.resolve("bin/zonesync").toString(), "-t", "-c", plain.toString());
        assertThat(ok.exit).as(ok.output).isZero();
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "events { }\nstream { server { listen 127.0.0.1:0; zone_sync;"
                + " zone_sync_server 127.0.0.1:1;\n zone_sync_ssl_protocols SSLv2; } }\n");
        Result refused = run(dir, home.resolve("bin/zonesync").toString(), "-t", "-c", bad.toString());
        assertThat(refused.exit).isNotZero();
        assertThat(refused.output).contains("zone_sync_ssl_protocols").contains(bad + ":3");
    }

    @Test
    void runsANodeThatAnswersAndStopsOnQuit() throws Exception {
        Path launcher = home.resolve("bin/zonesync");
        // what launchers killed outright left half-written (their pid is gone) goes; a running one's stays
        Path abandoned = Files.writeString(home.resolve("lib/zonesync-cds-1-2.jsa.999999999.tmp"), "partial");
        Path inProgress = Files.writeString(home.resolve("lib/zonesync-cds-1-2.jsa." + ProcessHandle.current().pid()
                + ".tmp"), "partial");
        try (NodeProcess node = NodeProcess.start(dir.resolve("prefix"), """
                error_log stderr notice;
                http { access_log off; server { listen 127.0.0.1:0; location /api { api; } } }
                """, "127.0.0.1", 0, command -> {
                    // the distribution's launcher instead of the checkout's, started from /
                    List<String> c = new ArrayList<>(List.of("bash", "-c", "cd / && exec \"$0\" \"$@\"",
                            launcher.toString()));
                    c.addAll(command.subList(1, command.size()));
                    return c;
                })) {
            assertThat(node.http().get("/api/9/nginx").statusCode()).isEqualTo(200);
            assertThat(node.jvmPid()).isPositive();
            assertThat(abandoned).doesNotExist();
            assertThat(inProgress).exists();
            Files.delete(inProgress);
            node.signal("QUIT");
            assertThat(node.waitForExit()).isZero();
            assertThat(node.output()).contains("shutting down gracefully");

            // the first run left the class-data archive of this JDK and these jars beside them; the next maps it
            List<Path> archives;
            try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
                archives = lib.filter(p -> p.getFileName().toString().startsWith("zonesync-cds-")).toList();
            }
            assertThat(archives).hasSize(1).allMatch(p -> p.toString().endsWith(".jsa"));
            node.launch();
            assertThat(Files.readString(Path.of("/proc/" + node.jvmPid() + "/maps"))).contains(archives.get(0).toString());
            node.signal("QUIT");
            assertThat(node.waitForExit()).isZero();
            assertThat(node.output()).doesNotContain("[warning]");
        }
    }

    @Test
    void theSystemdUnitPassesSystemdAnalyzeVerify() throws Exception {
        String unit = Files.readString(home.resolve("systemd/zonesync.service"));
        assertThat(unit).contains("Type=simple", "ExecReload=/bin/kill -HUP $MAINPID", "KillSignal=SIGQUIT",
                "TimeoutStopSec=", "LimitNOFILE=", "NoNewPrivileges=yes", "ProtectSystem=strict");
        // installed as /opt/zonesync with /etc/zonesync/zonesync.conf: here, where it was unpacked
        Path local = dir.resolve("zonesync.service");
        Files.writeString(local, unit.replace("/opt/zonesync", home.toString())
                .replace("/etc/zonesync/zonesync.conf", home.resolve("conf/zonesync.conf").toString()));
        Result verify = run(dir, "systemd-analyze", "verify", "--man=no", local.toString());
        // warnings (an unknown key, a bad value) leave the status 0: none may be printed either
        assertThat(verify.exit).as(verify.output).isZero();
        assertThat(verify.output).isEmpty();
        File broken = dir.resolve("broken.service").toFile();
        Files.writeString(broken.toPath(), Files.readString(local).replace("KillSignal=SIGQUIT", "KillSignal=SIGQUITE"));
        assertThat(run(dir, "systemd-analyze", "verify", "--man=no", broken.toString()).output)
                .as("the check sees a bad value").contains("SIGQUITE");
    }

    /**
     * Installed as the unit says (the tarball as /opt/zonesync, the configuration in /etc/zonesync,
     * a system user) under a real systemd: {@code start} checks the configuration first and runs
     * the node as that user with the unit's limits, {@code reload} is a HUP that applies a new
     * configuration, {@code stop} is the graceful QUIT and ends in success; a broken configuration
     * fails the start with its FILE:LINE in the journal.
     */
    @Test
    void underSystemdStartsAsItsUserReloadsAndStopsGracefully() throws Exception {
        try (HeldPort held = new HeldPort()) {
            // the port is held on 127.0.0.1; the node listens on 127.0.0.2 at the same number
            String config = """
                    events { }
                    error_log stderr notice;
                    http {
                        access_log off;
                        server { listen 127.0.0.2:%d; location /api { api; } location = /v { return 200 "one"; } }
                    }
                    """.formatted(held.port());
            Path conf = Files.writeString(dir.resolve("zonesync.conf"), config);
            try (SystemdLab lab = SystemdLab.start(dir, List.of(
                    new String[] {home.toString(), "/opt/zonesync"},
                    new String[] {conf.toString(), "/etc/zonesync/zonesync.conf"},
                    new String[] {home.resolve("systemd/zonesync.service").toString(), "/etc/systemd/system/zonesync.service"}),
                    "useradd --system --no-create-home --shell /usr/sbin/nologin zonesync")) {
                Http http = new Http("127.0.0.2", held.port());
                SystemdLab.Result start = lab.exec("systemctl", "start", "zonesync");
                assertThat(start.exit()).as(start.output()).isZero();
                await().atMost(Duration.ofSeconds(60)).until(http::answers); // Type=simple: started once forked
                assertThat(http.get("/v").body()).isEqualTo("one");
                // the address that accepted the request, as NGINX Plus reports it
                assertThat(http.get("/api/9/nginx").body()).contains("\"address\":\"127.0.0.2\"");
                String pid = lab.exec("systemctl", "show", "-P", "MainPID", "zonesync").output().strip();
                assertThat(lab.exec("stat", "-c", "%U", "/proc/" + pid).output().strip()).isEqualTo("zonesync");
                // LimitNOFILE=65536, as far as the manager's own hard limit lets it (a sandbox may hold it lower)
                long ceiling = openFiles(lab.exec("cat", "/proc/1/limits").output(), 2);
                assertThat(openFiles(lab.exec("cat", "/proc/" + pid + "/limits").output(), 1))
                        .isEqualTo(Math.min(65536, ceiling)).isGreaterThan(1024);
                assertThat(lab.exec("cat", "/proc/" + pid + "/status").output()).containsPattern("NoNewPrivs:\\s+1");

                lab.write("/etc/zonesync/zonesync.conf", config.replace("\"one\"", "\"two\""));
                assertThat(lab.exec("systemctl", "reload", "zonesync").exit()).isZero();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> "two".equals(http.get("/v").body()));

                SystemdLab.Result stop = lab.exec("systemctl", "stop", "zonesync");
                assertThat(stop.exit()).as(stop.output()).isZero();
                assertThat(lab.exec("systemctl", "show", "-P", "Result", "zonesync").output().strip()).isEqualTo("success");
                assertThat(lab.exec("journalctl", "-u", "zonesync", "--no-pager").output())
                        .contains("SIGHUP", "shutting down gracefully");
                // the installation is read-only to the node: its class-data archive went to the prefix
                assertThat(lab.exec("ls", "/var/lib/zonesync").output()).containsPattern("zonesync-cds-[0-9]+-[0-9]+\\.jsa\n")
                        .doesNotContain(".tmp");
                assertThat(lab.exec("ls", "/opt/zonesync/lib").output()).doesNotContain("zonesync-cds-");

                lab.write("/etc/zonesync/zonesync.conf", config.replace("access_log off;", "access_log off;\n    bad_directive;"));
                assertThat(lab.exec("systemctl", "start", "zonesync").exit()).isNotZero();
                assertThat(lab.exec("journalctl", "-u", "zonesync", "--no-pager").output())
                        .contains("unknown directive \"bad_directive\" in /etc/zonesync/zonesync.conf:5");
            }
        }
    }

    /** The soft (column 1) or hard (2) "Max open files" of a /proc/PID/limits text. */
    private static long openFiles(String limits, int column) {
        String line = limits.lines().filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
        String value = line.substring("Max open files".length()).trim().split("\\s+")[column - 1];
        return value.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(value);
    }
}
