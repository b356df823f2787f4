package io.zonesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bin/zonesync as operators run it. Its JAVA_HOME points at a wrapper that runs the real JVM with
 * {@link FakeNodeMain} in place of io.zonesync.Main (and records the arguments), and
 * ZONESYNC_CLASSPATH at the test class path, so the launcher, the JVM and the signal handling are
 * all real and only the node is fake.
 */
class LauncherIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Path REPO = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path LAUNCHER = REPO.resolve("bin/zonesync");

    @TempDir
    Path dir;
    private Path prefix;
    private Path javaHome;
    private Path log;
    private Path pidFile;

    @BeforeEach
    void setUp() throws IOException {
        prefix = Files.createDirectories(dir.resolve("prefix"));
        Files.createDirectories(prefix.resolve("conf"));
        Files.writeString(prefix.resolve("conf/zonesync.conf"), "error_log logs/error.log info;\n");
        log = prefix.resolve("logs/error.log");
        pidFile = prefix.resolve("logs/zonesync.pid");
        javaHome = dir.resolve("jdk");
        Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\n"
                + "printf '%s\\n' \"$@\" > \"" + dir.resolve("java.args") + "\"\n"
                + "args=()\n"
                + "for a in \"$@\"; do\n"
                + "  [ \"$a\" = io.zonesync.Main ] && a=" + FakeNodeMain.class.getName() + "\n"
                + "  args+=(\"$a\")\n"
                + "done\n"
                + "exec \"" + ChildProcess.JAVA + "\" \"${args[@]}\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ChildProcess launch(String output, Map<String, String> extraEnv, String... args) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("ZONESYNC_CLASSPATH", ChildProcess.CLASS_PATH);
        env.putAll(extraEnv);
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return ChildProcess.start(dir.resolve(output), env, command);
    }

    private ChildProcess startNode() throws Exception {
        ChildProcess node = launch("node.out", Map.of(), "-p", prefix.toString());
        try {
            // the pid file is written once the node listens, after its "started" line: wait for it, as scripts do
            await().atMost(PATIENCE).until(() -> Files.exists(log) && Files.readString(log).contains("started")
                    && Files.exists(pidFile));
            assertThat(Files.readString(pidFile)).as("the launcher's pid is the one to signal")
                    .isEqualTo(node.pid() + "\n");
            return node;
        } catch (Exception | Error e) {
            node.close(); // a node that did not start as expected is not left running
            throw e;
        }
    }

    private String logText() throws IOException {
        return Files.readString(log);
    }

    private List<String> javaArgs() throws IOException {
        return Files.readAllLines(dir.resolve("java.args"));
    }

    /** Started by a JVM, the launcher begins with QUIT ignored: this also checks that it restores it. */
    @Test
    void quitToTheLauncherIsAGracefulStop() throws Exception {
        try (ChildProcess node = startNode()) {
            node.signal("QUIT");
            assertThat(node.exitStatus()).isZero();
            assertThat(logText()).contains("signal 3 (SIGQUIT) received (passed on by the launcher as SIGUSR2), shutting down gracefully", "fake node quit");
            assertThat(pidFile).doesNotExist();
        }
    }

    /**
     * Under nohup, or as a script's background job, the launcher and its JVM would begin with signals
     * ignored: the launcher restores them, and the node has no cause to warn of any.
     */
    @Test
    void startedWithSignalsIgnoredTheLauncherStillReloadsAndStops() throws Exception {
        Map<String, String> env = Map.of("JAVA_HOME", javaHome.toString(), "ZONESYNC_CLASSPATH", ChildProcess.CLASS_PATH);
        try (ChildProcess node = ChildProcess.start(dir.resolve("node.out"), env, List.of("env",
                "--ignore-signal=HUP,INT,QUIT,TERM", LAUNCHER.toString(), "-p", prefix.toString()))) {
            await().atMost(PATIENCE).until(() -> Files.exists(log) && logText().contains("started") && Files.exists(pidFile));
            node.signal("HUP");
            await().atMost(PATIENCE).until(() -> logText().contains("reconfigured"));
            node.signal("INT");
            assertThat(node.exitStatus()).isZero();
            assertThat(logText()).contains("signal 15 (SIGTERM) received, exiting").doesNotContain("[warn]");
        }
    }

    @Test
    void aFlightRecordingDoesNotStopTheNode() throws Exception {
        Map<String, String> jfr = Map.of("JAVA_OPTS", "-XX:StartFlightRecording=filename="
                + dir.resolve("node.jfr") + ",settings=profile");
        try (ChildProcess node = launch("node.out", jfr, "-p", prefix.toString())) {
            await().atMost(PATIENCE).until(() -> Files.exists(log) && logText().contains("started"));
            // the profile samples threads every 10-20 ms, each sample a signal to the JVM's threads
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> !logText().contains("shutting down"));
            node.signal("QUIT");
            assertThat(node.exitStatus()).isZero();
        }
    }

    /** The node follows its launcher: killed with -9 (no signal passed on), the node stops too. */
    @Test
    void aLauncherKilledOutrightStopsTheNode() throws Exception {
        try (ChildProcess node = startNode()) {
            ProcessHandle jvm = node.process.children().findFirst().orElseThrow();
            node.signal("KILL");
            await().atMost(PATIENCE).until(() -> !jvm.isAlive());
            assertThat(logText()).contains("the launcher (pid " + node.pid() + ") exited, exiting");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void termAndIntToTheLauncherStopFast(String signal) throws Exception {
        try (ChildProcess node = startNode()) {
            node.signal(signal);
            assertThat(node.exitStatus()).isZero();
            assertThat(logText()).contains("signal 15 (SIGTERM) received, exiting");
        }
    }

    @Test
    void dashSReachesTheRunningNodeThroughThePidFile() throws Exception {
        try (ChildProcess node = startNode()) {
            try (ChildProcess reload = launch("reload.out", Map.of(), "-p", prefix.toString(), "-s", "reload")) {
                assertThat(reload.exitStatus()).isZero();
                assertThat(reload.output()).isEmpty();
            }
            await().atMost(PATIENCE).until(() -> logText().contains("reconfigured"));
            try (ChildProcess reopen = launch("reopen.out", Map.of(), "-p", prefix.toString(), "-s", "reopen")) {
                assertThat(reopen.exitStatus()).isZero();
            }
            await().atMost(PATIENCE).until(() -> logText().contains("logs reopened"));
            try (ChildProcess quit = launch("quit.out", Map.of(), "-p", prefix.toString(), "-s", "quit")) {
                assertThat(quit.exitStatus()).isZero();
            }
            assertThat(node.exitStatus()).isZero();
            assertThat(logText()).contains("shutting down gracefully");
        }
    }

    @Test
    void dashSWithoutARunningNodeSaysSo() throws Exception {
        try (ChildProcess stop = launch("stop.out", Map.of(), "-p", prefix.toString(), "-s", "stop")) {
            assertThat(stop.exitStatus()).isEqualTo(1);
            assertThat(stop.output()).isEqualTo("zonesync: [error] open() \"" + pidFile
                    + "\" failed (2: No such file or directory)\n");
        }
    }

    @Test
    void thePrefixDefaultsToTheInstallationAndJavaOptsAreHonoured() throws Exception {
        try (ChildProcess help = launch("help.out", Map.of("JAVA_OPTS", "-Xmx64m -Dzonesync.test=1"), "-h")) {
            assertThat(help.exitStatus()).isZero();
            assertThat(help.output()).contains("(default: " + REPO + "/)");
        }
        assertThat(javaArgs()).contains("-Xmx64m", "-Dzonesync.test=1", "-Dzonesync.prefix=" + REPO)
                .doesNotContain("-Xrs")
                .as("Netty's native libraries load without JDK 24's warning").contains("--enable-native-access=ALL-UNNAMED");
        assertThat(javaArgs().subList(javaArgs().indexOf("io.zonesync.Main"), javaArgs().size()))
                .containsExactly("io.zonesync.Main", "-h");
    }

    @Test
    void zonesyncHeapTakesAndTouchesTheWholeHeapAtStartAndJavaOptsStillHaveTheLastWord() throws Exception {
        try (ChildProcess help = launch("help.out", Map.of("ZONESYNC_HEAP", "64m", "JAVA_OPTS", "-Xmx96m"), "-h")) {
            assertThat(help.exitStatus()).isZero();
        }
        List<String> args = javaArgs();
        assertThat(args).containsSubsequence("-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch", "-Xmx96m", "io.zonesync.Main");
    }

    /**
     * The heap asks for transparent huge pages exactly where the kernel grants them on request
     * (mode "always" or "madvise"; "never" or no such file: not), and JAVA_OPTS can turn that off.
     */
    @Test
    void theHeapAsksForTransparentHugePagesWhereTheKernelOffersThemAndJavaOptsCanSayNo() throws Exception {
        Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        String kernel = Files.isReadable(mode) ? Files.readString(mode) : "";
        boolean offered = kernel.contains("[always]") || kernel.contains("[madvise]");
        try (ChildProcess help = launch("help.out", Map.of("JAVA_OPTS", "-XX:-UseTransparentHugePages"), "-h")) {
            assertThat(help.exitStatus()).isZero();
        }
        List<String> args = javaArgs();
        if (offered) {
            assertThat(args).containsSubsequence("-XX:+UseTransparentHugePages", "-XX:-UseTransparentHugePages",
                    "io.zonesync.Main");
        } else {
            assertThat(args).doesNotContain("-XX:+UseTransparentHugePages");
        }
    }

    @Test
    void aZonesyncHeapThatIsNoSizeIsRefusedBeforeTheJvmStarts() throws Exception {
        try (ChildProcess bad = launch("bad.out", Map.of("ZONESYNC_HEAP", "lots"), "-h")) {
            assertThat(bad.exitStatus()).isEqualTo(1);
            assertThat(bad.output()).isEqualTo("zonesync: ZONESYNC_HEAP=\"lots\" is not a size (a number, then k, m or g: \"2g\")\n");
        }
        assertThat(dir.resolve("java.args")).doesNotExist();
    }

    @Test
    void theExitStatusIsTheJvms() throws Exception {
        try (ChildProcess bad = launch("bad.out", Map.of(), "-x")) {
            assertThat(bad.exitStatus()).isEqualTo(1);
            assertThat(bad.output()).isEqualTo("zonesync: invalid option: \"x\"\n");
        }
    }

    @Test
    void anUnbuiltCheckoutGetsABuildHint() throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("checkout/bin"));
        Path copy = Files.copy(LAUNCHER, checkout.resolve("zonesync"));
        try (ChildProcess p = ChildProcess.start(dir.resolve("unbuilt.out"), Map.of(), List.of(copy.toString(), "-v"))) {
            assertThat(p.exitStatus()).isEqualTo(1);
            assertThat(p.output()).startsWith("zonesync: not built yet: " + dir.resolve("checkout/target")
                    + " has no zonesync-*.jar and lib/;").contains("mvn -B -q package -DskipTests");
        }
    }
}
