package io.zonesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.Version;
import io.zonesync.cli.SignalListener.Received;
import io.zonesync.cli.SignalListener.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The foreground run: pid file, logs and every signal, in-process with a fake node and fake signals. */
class RunLoopTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long OWN_PID = ProcessHandle.current().pid();

    @TempDir
    Path prefix;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FakeRunner runner = new FakeRunner();
    private final AtomicReference<Consumer<Received>> signals = new AtomicReference<>();
    private Path conf;
    private Path log;
    private Path pid;
    private CompletableFuture<Integer> running;

    @BeforeEach
    void configuration() throws IOException {
        conf = prefix.resolve("conf/zonesync.conf");
        log = prefix.resolve("logs/error.log");
        pid = prefix.resolve("logs/zonesync.pid");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "error_log logs/error.log info;\nhttp {}\n");
    }

    @AfterEach
    void stopIfRunning() throws Exception {
        if (running != null && !running.isDone() && signals.get() != null) {
            send(Request.STOP);
            running.get(10, TimeUnit.SECONDS);
        }
    }

    private void start() {
        Cli cli = new Cli(runner, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), (p, s) -> {
                    throw new AssertionError("no -s here");
                }, prefix, OptionalLong.empty(), sink -> {
                    signals.set(sink);
                    return new SignalListener.Uncaught(List.of("QUIT"), List.of());
                });
        running = CompletableFuture.supplyAsync(cli::run);
    }

    private void startAndWait() {
        start();
        await().atMost(PATIENCE).until(() -> logText().contains("zonesync/" + Version.NUMBER + " started"));
    }

    private void send(Request request) {
        String name = switch (request) {
            case STOP -> "TERM";
            case QUIT -> "QUIT";
            case RELOAD -> "HUP";
            case REOPEN -> "USR1";
        };
        signals.get().accept(new Received(name, NodeSignal.valueOf(request.name()).signalNumber(), request));
    }

    private String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private int exitStatus() throws Exception {
        return running.get(10, TimeUnit.SECONDS);
    }

    @Test
    void startWritesThePidFileAndQuitRemovesIt() throws Exception {
        startAndWait();
        assertThat(Files.readString(pid)).isEqualTo(OWN_PID + "\n");
        assertThat(logText()).contains("[notice] ", "fake node started", "1 event loop thread(s)");
        send(Request.QUIT);
        assertThat(exitStatus()).isZero();
        assertThat(pid).doesNotExist();
        assertThat(runner.calls).containsExactly("start", "quit");
        assertThat(logText()).contains("signal 3 (SIGQUIT) received, shutting down gracefully", "] "
                + OWN_PID + "#");
        assertThat(logText()).endsWith(": exit\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void thePidFileAppearsOnlyOnceTheNodeHasStarted() throws Exception {
        AtomicBoolean existedWhileStarting = new AtomicBoolean(true);
        runner.whileStarting = () -> existedWhileStarting.set(Files.exists(pid));
        startAndWait();
        assertThat(existedWhileStarting).isFalse();
        assertThat(Files.readString(pid)).isEqualTo(OWN_PID + "\n");
    }

    @Test
    void termStopsFastAndExitsZero() throws Exception {
        startAndWait();
        send(Request.STOP);
        assertThat(exitStatus()).isZero();
        assertThat(runner.calls).containsExactly("start", "stop");
        assertThat(logText()).contains("signal 15 (SIGTERM) received, exiting");
        assertThat(pid).doesNotExist();
    }

    @Test
    void reloadReadsTheConfigurationAgainAndSwitchesLogs() throws Exception {
        startAndWait();
        Files.writeString(conf, "error_log logs/new.log notice;\nworker_processes 3;\n");
        send(Request.RELOAD);
        Path newLog = prefix.resolve("logs/new.log");
        await().atMost(PATIENCE).until(() -> Files.exists(newLog) && Files.readString(newLog).contains("reconfigured"));
        assertThat(runner.calls).containsExactly("start", "reload");
        assertThat(Files.readString(newLog)).contains("reconfigured from " + conf);
        assertThat(logText()).contains("fake node reloaded"); // the node reloads while the old logs are in use
        assertThat(logText()).contains("signal 1 (SIGHUP) received, reconfiguring");
    }

    private static int count(String text, String fragment) {
        int n = 0;
        for (int i = text.indexOf(fragment); i >= 0; i = text.indexOf(fragment, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aWarningIsWrittenOnceNotAgainOnEveryReload() throws Exception {
        String warned = "error_log logs/error.log info;\nfake_warning \"low address bits\";\nhttp {}\n";
        Files.writeString(conf, warned);
        startAndWait();
        for (int i = 1; i <= 2; i++) {
            int reloads = i;
            send(Request.RELOAD);
            await().atMost(PATIENCE).until(() -> count(logText(), "reconfigured from") == reloads);
        }
        assertThat(count(logText(), "[warn] ")).isEqualTo(1);
        assertThat(logText()).contains("low address bits in " + conf + ":2",
                "reconfigured from " + conf + " (1 warning as before, not repeated)");
        assertThat(count(err.toString(StandardCharsets.UTF_8), "low address bits")).isEqualTo(1);

        Files.writeString(conf, warned + "fake_warning \"a new one\";\n");
        send(Request.RELOAD);
        await().atMost(PATIENCE).until(() -> count(logText(), "reconfigured from") == 3);
        assertThat(count(logText(), "[warn] ")).isEqualTo(2);
        assertThat(logText()).contains("a new one in " + conf + ":4");
        send(Request.QUIT);
        assertThat(exitStatus()).isZero();
        assertThat(count(logText(), "[warn] ")).isEqualTo(2);
    }

    @Test
    void aBadConfigurationOnReloadIsLoggedAndTheOldOneStays() throws Exception {
        startAndWait();
        Files.writeString(conf, "error_log logs/other.log;\nfoo;\n");
        send(Request.RELOAD);
        await().atMost(PATIENCE).until(() -> logText().contains("[emerg] "));
        assertThat(logText()).contains("unknown directive \"foo\" in " + conf + ":2");
        Files.writeString(conf, "error_log logs/other.log;\nfail_reload;\n");
        send(Request.RELOAD);
        await().atMost(PATIENCE).until(() -> logText().contains("the fake node refuses this reload in " + conf + ":2"));
        send(Request.REOPEN);
        await().atMost(PATIENCE).until(() -> logText().contains("logs reopened")); // the old file is still in use
        assertThat(runner.calls).containsExactly("start", "reopen");
        assertThat(Files.readString(pid)).isEqualTo(OWN_PID + "\n");
    }

    @Test
    void reloadMovesThePidFile() throws Exception {
        startAndWait();
        Files.writeString(conf, "error_log logs/error.log info;\npid logs/moved.pid;\n");
        send(Request.RELOAD);
        await().atMost(PATIENCE).until(() -> logText().contains("reconfigured"));
        assertThat(pid).doesNotExist();
        assertThat(Files.readString(prefix.resolve("logs/moved.pid"))).isEqualTo(OWN_PID + "\n");
        send(Request.QUIT);
        assertThat(exitStatus()).isZero();
        assertThat(prefix.resolve("logs/moved.pid")).doesNotExist();
    }

    @Test
    void reopenStartsANewErrorLogAfterRotation() throws Exception {
        startAndWait();
        Path rotated = prefix.resolve("logs/error.log.1");
        Files.move(log, rotated);
        send(Request.REOPEN);
        await().atMost(PATIENCE).until(() -> logText().contains("logs reopened"));
        assertThat(runner.calls).contains("reopen");
        assertThat(Files.readString(rotated)).contains("started", "reopening logs").doesNotContain("logs reopened");
    }

    @Test
    void aFailedStartExitsOneAndLeavesNoPidFile() throws Exception {
        runner.startFailure = new IOException("bind() to 0.0.0.0:80 failed (13: Permission denied)");
        start();
        assertThat(exitStatus()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("zonesync: [emerg] bind() to 0.0.0.0:80 failed (13: Permission denied)\n");
        assertThat(pid).doesNotExist();
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void anotherRunningZonesyncKeepsItsPidFile() throws Exception {
        Process other = new ProcessBuilder("bash", "-c", "sleep 30; true", "zonesync").start();
        try {
            Files.createDirectories(pid.getParent());
            Files.writeString(pid, other.pid() + "\n");
            start();
            assertThat(exitStatus()).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("zonesync: [emerg] pid file \"" + pid
                    + "\" names process " + other.pid() + ", a zonesync that is still running");
            assertThat(runner.calls).isEmpty();
            assertThat(Files.readString(pid)).isEqualTo(other.pid() + "\n");
        } finally {
            other.destroy();
        }
    }

    @Test
    void startupNotesGoToTheLogAndWarningsAlsoToTheTerminal() throws Exception {
        Files.writeString(conf, "error_log logs/error.log notice;\ndaemon on;\nuser nobody;\n");
        startAndWait();
        assertThat(logText()).contains("[notice] ", "\"daemon on\" is ignored", "[warn] ", "\"user\" directive");
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("zonesync: [warn] \"user\" directive is ignored")
                .doesNotContain("daemon");
    }

    @Test
    void aGracefulStopThatTakesTooLongBecomesAFastOne() throws Exception {
        Files.writeString(conf, "error_log logs/error.log info;\nworker_shutdown_timeout 100ms;\n");
        runner.quitHangs = true;
        startAndWait();
        send(Request.QUIT);
        assertThat(exitStatus()).isZero();
        assertThat(runner.calls).containsExactly("start", "quit", "stop");
        assertThat(logText()).contains("[warn] ", "longer than worker_shutdown_timeout (100 ms)");
    }

    @Test
    void aSecondTermDuringAGracefulStopStopsAtOnce() throws Exception {
        runner.quitHangs = true;
        startAndWait();
        send(Request.QUIT);
        await().atMost(PATIENCE).until(() -> runner.calls.contains("quit"));
        send(Request.STOP);
        assertThat(exitStatus()).isZero();
        assertThat(runner.calls).containsExactly("start", "quit", "stop");
    }
}
