package io.zonesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real POSIX signals sent with {@code kill -s} to a child JVM running the real command line in
 * front of a fake node ({@link FakeNodeMain}); and what this JVM lets Java catch, with and without
 * {@code -Xrs}, which is why bin/zonesync does not pass {@code -Xrs}.
 */
class SignalHandlingIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path prefix;
    private Path conf;
    private Path log;
    private Path pidFile;

    @BeforeEach
    void configuration() throws IOException {
        conf = prefix.resolve("conf/zonesync.conf");
        log = prefix.resolve("logs/error.log");
        pidFile = prefix.resolve("logs/zonesync.pid");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "error_log logs/error.log info;\n");
    }

    private String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits for the error log to hold {@code text}; on a timeout the failure shows the log and the JVM's output. */
    private void awaitLog(ChildProcess node, String text) throws Exception {
        try {
            await().atMost(PATIENCE).until(() -> logText().contains(text));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no \"" + text + "\" in " + log + " within " + PATIENCE + "; it holds:\n" + logText()
                    + "\nthe JVM " + (node.process.isAlive() ? "runs" : "exited") + ", its output:\n" + node.output(), e);
        }
    }

    private ChildProcess startNode(List<String> jvmOptions) throws Exception {
        return started(ChildProcess.java(prefix.resolve("out.txt"), jvmOptions, FakeNodeMain.class.getName(),
                "-p", prefix.toString()));
    }

    private ChildProcess started(ChildProcess node) throws Exception {
        try {
            // the pid file is written once the node listens, after its "started" line: wait for it, as scripts do
            await().atMost(PATIENCE).until(() -> logText().contains("started") && Files.exists(pidFile));
            assertThat(Files.readString(pidFile)).isEqualTo(node.pid() + "\n");
            return node;
        } catch (Exception | Error e) {
            node.close(); // a node that did not start as expected is not left running
            throw e;
        }
    }

    private String probe(String... jvmOptions) throws Exception {
        try (ChildProcess p = ChildProcess.java(prefix.resolve("probe.txt"), List.of(jvmOptions),
                SignalProbeMain.class.getName())) {
            assertThat(p.exitStatus()).isZero();
            return p.output().trim();
        }
    }

    @Test
    void javaCanNeverCatchQuitAndWithXrsNotHupIntOrTermEither() throws Exception {
        assertThat(probe()).isEqualTo("QUIT=refused HUP=ok TERM=ok INT=ok USR1=ok USR2=ok");
        assertThat(probe("-Xrs")).isEqualTo("QUIT=refused HUP=refused TERM=refused INT=refused USR1=ok USR2=ok");
    }

    @Test
    void hupReloadsUsr1ReopensAndUsr2QuitsGracefully() throws Exception {
        try (ChildProcess node = startNode(List.of())) {
            Files.writeString(conf, "error_log logs/error.log info;\nworker_processes 2;\n");
            node.signal("HUP");
            awaitLog(node, "reconfigured from " + conf);
            assertThat(logText()).contains("signal 1 (SIGHUP) received, reconfiguring", "fake node reloaded");

            Files.writeString(conf, "error_log logs/error.log info;\n\nno_such_directive on;\n");
            node.signal("HUP");
            awaitLog(node, "[emerg] ");
            assertThat(logText()).contains("unknown directive \"no_such_directive\" in " + conf + ":3");
            assertThat(node.process.isAlive()).isTrue();

            Path rotated = prefix.resolve("logs/error.log.1");
            Files.move(log, rotated);
            node.signal("USR1");
            awaitLog(node, "logs reopened");
            assertThat(Files.readString(rotated)).contains("signal 10 (SIGUSR1) received, reopening logs");

            node.signal("USR2");
            assertThat(node.exitStatus()).isZero();
            assertThat(logText()).contains("signal 3 (SIGQUIT) received (passed on by the launcher as SIGUSR2), shutting down gracefully",
                    "fake node quit");
            assertThat(pidFile).doesNotExist();
        }
    }

    @Test
    void signalsIgnoredWhenTheJvmStartedAreNamedInAWarning() throws Exception {
        try (ChildProcess node = started(ChildProcess.javaIgnoring("HUP,TERM", prefix.resolve("out.txt"), List.of(),
                FakeNodeMain.class.getName(), "-p", prefix.toString()))) {
            awaitLog(node, "[warn] ");
            assertThat(logText()).contains("signal(s) [TERM, HUP] were ignored when this JVM was started (nohup, or a"
                    + " background job of a script) and stay ignored");
            node.signal("USR2");
            assertThat(node.exitStatus()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void termAndIntStopFastAndExitZero(String signal) throws Exception {
        try (ChildProcess node = startNode(List.of())) {
            node.signal(signal);
            assertThat(node.exitStatus()).isZero();
            assertThat(logText()).contains("(SIG" + signal + ") received, exiting", "fake node stopped");
            assertThat(pidFile).doesNotExist();
        }
    }

    @Test
    void quitSentStraightToTheJvmOnlyDumpsThreads() throws Exception {
        try (ChildProcess node = startNode(List.of())) {
            node.signal("QUIT");
            await().atMost(PATIENCE).until(() -> node.output().contains("Full thread dump"));
            assertThat(node.process.isAlive()).isTrue();
            node.signal("TERM");
            assertThat(node.exitStatus()).isZero();
        }
    }

    @Test
    void withXrsTermKillsTheJvmWithoutCleanup() throws Exception {
        try (ChildProcess node = startNode(List.of("-Xrs"))) {
            node.signal("TERM");
            assertThat(node.exitStatus()).isEqualTo(128 + 15);
            assertThat(pidFile).exists();
            assertThat(logText()).doesNotContain("SIGTERM");
        }
    }
}
