package io.zonesync.cli;

import io.zonesync.core.CoreSettings;
import io.zonesync.cli.NodeRunner.RunningNode;
import io.zonesync.cli.SignalListener.Received;
import io.zonesync.cli.SignalListener.Request;
import io.zonesync.config.ConfigException;
import io.zonesync.log.ErrorLog;
import io.zonesync.log.ErrorLog.OpenedLogs;
import io.zonesync.log.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node in the foreground: pid file, error logs, the node itself, then one control thread that
 * takes signals in order until the node stops. Exit status 0 after TERM, INT, QUIT (USR2); 1 when
 * the start fails or the node stops without being asked to.
 */
final class RunLoop {
    private static final Logger LOG = LoggerFactory.getLogger("zonesync");

    /** Something the control thread must handle. */
    private record Event(Request request, String why, boolean requested) {
    }

    private final NodeRunner runner;
    private final ErrorLog logs;
    private final ConfigLocation location;
    private final long pidToWrite;
    private final OptionalLong launcherPid;
    private final SignalListener.Source signalSource;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile RunningNode node;
    private volatile boolean stopping;
    private CoreSettings settings;
    private Path pidFile;

    RunLoop(NodeRunner runner, ErrorLog logs, ConfigLocation location, long pidToWrite, OptionalLong launcherPid,
            SignalListener.Source signalSource) {
        this.runner = runner;
        this.logs = logs;
        this.location = location;
        this.pidToWrite = pidToWrite;
        this.launcherPid = launcherPid;
        this.signalSource = signalSource;
    }

    int run(ConfigLocation.Loaded loaded) {
        settings = loaded.settings();
        if (settings.rlimitNofile() > 0) {
            FileLimit.apply(settings.rlimitNofile());
        }
        FileLimit.check(settings.workerConnections());
        OpenedLogs opened;
        try {
            opened = logs.open(settings.errorLogs());
        } catch (IOException e) {
            Severity.EMERG.log(LOG, e.getMessage());
            return 1;
        }
        try {
            PidFile.checkFree(settings.pidFile(), pidToWrite);
        } catch (CommandFailure f) {
            opened.close();
            f.severity().log(LOG, f.getMessage());
            return 1;
        }
        pidFile = settings.pidFile();
        SignalListener.Uncaught uncaught = signalSource.install(this::onSignal);
        try {
            node = runner.start(loaded.config());
        } catch (ConfigException | IOException | RuntimeException e) {
            logs.configWarnings().dropped();
            logFailure(e);
            opened.close();
            return 1;
        }
        // as nginx, the pid file appears once every listener is bound and listening: a script that
        // waits for it may connect at once
        try {
            PidFile.claim(pidFile, pidToWrite);
        } catch (CommandFailure f) {
            f.severity().log(LOG, f.getMessage());
            node.stop();
            opened.close();
            return 1;
        }
        logs.configWarnings().tookEffect();
        logs.activate(opened);
        logs.endStartup();
        Severity.NOTICE.log(LOG, "zonesync/{} started, {} event loop thread(s), pid file {}", Usage.versionNumber(),
                settings.workerProcesses(), pidFile);
        List<String> refused = uncaught.keptByJvm();
        if (!refused.isEmpty()) {
            Severity.INFO.log(LOG, "the JVM keeps signal(s) {} for itself{}", refused,
                    refused.contains("QUIT") ? "; bin/zonesync turns QUIT into USR2" : "");
        }
        // the launcher's JVM is a background job of a script, so INT and QUIT come to it ignored; signals
        // go to the launcher (its pid is the pid file's), which passes each on as one the JVM catches
        if (launcherPid.isEmpty() && !uncaught.ignoredAtStart().isEmpty()) {
            Severity.WARN.log(LOG, "signal(s) {} were ignored when this JVM was started (nohup, or a background"
                    + " job of a script) and stay ignored: this node will not act on them; start it with"
                    + " bin/zonesync, which restores them", uncaught.ignoredAtStart());
        }
        watchForExits();
        int status = loop();
        PidFile.release(pidFile, pidToWrite);
        Severity.NOTICE.log(LOG, "exit");
        return status;
    }

    private void onSignal(Received signal) {
        if (signal.request() == Request.STOP && stopping && node != null) {
            // a second TERM while a graceful stop drags on: stop now, from the signal thread
            node.stop();
        }
        events.add(new Event(signal.request(), signal.describe(), true));
    }

    private void watchForExits() {
        Thread watcher = new Thread(() -> {
            try {
                node.awaitTermination();
                events.add(new Event(Request.STOP, "the node stopped", false));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "zonesync-node-watch");
        watcher.setDaemon(true);
        watcher.start();
        launcherPid.ifPresent(pid -> LauncherWatch.start(pid, () ->
                events.add(new Event(Request.STOP, "the launcher (pid " + pid + ") exited", true))));
    }

    private int loop() {
        try {
            while (true) {
                Event e = events.take();
                switch (e.request()) {
                    case REOPEN -> {
                        Severity.NOTICE.log(LOG, "{}, reopening logs", e.why());
                        logs.reopen();
                        node.reopenLogs();
                        Severity.NOTICE.log(LOG, "logs reopened");
                    }
                    case RELOAD -> {
                        Severity.NOTICE.log(LOG, "{}, reconfiguring", e.why());
                        reload();
                    }
                    case QUIT -> {
                        Severity.NOTICE.log(LOG, "{}, shutting down gracefully", e.why());
                        quit();
                        node.awaitTermination();
                        return 0;
                    }
                    case STOP -> {
                        if (!e.requested()) {
                            Severity.ALERT.log(LOG, "{} without being asked to, exiting", e.why());
                            return 1;
                        }
                        Severity.NOTICE.log(LOG, "{}, exiting", e.why());
                        stopping = true;
                        node.stop();
                        node.awaitTermination();
                        return 0;
                    }
                    default -> throw new IllegalStateException(e.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.stop();
            return 1;
        }
    }

    private void quit() {
        stopping = true;
        long limit = settings.shutdownTimeoutMs();
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (limit > 0) {
            CompletableFuture.delayedExecutor(limit, TimeUnit.MILLISECONDS).execute(() -> {
                if (!done.isDone()) {
                    Severity.WARN.log(LOG, "graceful shutdown took longer than worker_shutdown_timeout ({} ms),"
                            + " stopping now", limit);
                    node.stop();
                }
            });
        }
        node.quit();
        done.complete(null);
    }

    /**
     * Reads the configuration again; anything wrong is logged and the old configuration stays. The
     * warnings the configuration in effect gave already are not repeated; the line that ends the
     * reload says how many there were.
     */
    private void reload() {
        ConfigLocation.Loaded next;
        OpenedLogs opened;
        logs.configWarnings().reading();
        try {
            next = location.load(runner);
            opened = logs.open(next.settings().errorLogs());
        } catch (ConfigException | IOException e) {
            logs.configWarnings().dropped();
            Severity.EMERG.log(LOG, e.getMessage());
            return;
        }
        try {
            node.reload(next.config());
        } catch (ConfigException | IOException | RuntimeException e) {
            logs.configWarnings().dropped();
            opened.close();
            logFailure(e);
            return;
        }
        int unchanged = logs.configWarnings().tookEffect();
        logs.activate(opened);
        Path newPidFile = next.settings().pidFile();
        if (!newPidFile.equals(pidFile)) {
            try {
                PidFile.claim(newPidFile, pidToWrite);
                PidFile.release(pidFile, pidToWrite);
                pidFile = newPidFile;
            } catch (CommandFailure f) {
                f.severity().log(LOG, "{}; the pid file stays {}", f.getMessage(), pidFile);
            }
        }
        CoreSettings previous = settings;
        settings = next.settings();
        if (settings.rlimitNofile() > 0 && settings.rlimitNofile() != previous.rlimitNofile()) {
            FileLimit.apply(settings.rlimitNofile());
        }
        if (settings.rlimitNofile() != previous.rlimitNofile()
                || settings.workerConnections() != previous.workerConnections()) {
            FileLimit.check(settings.workerConnections());
        }
        Severity.NOTICE.log(LOG, "reconfigured from {}{}", location.file(), unchanged == 0 ? ""
                : " (" + unchanged + " warning" + (unchanged == 1 ? "" : "s") + " as before, not repeated)");
    }

    private static void logFailure(Exception e) {
        if (e instanceof ConfigException || e instanceof IOException) {
            Severity.EMERG.log(LOG, e.getMessage());
        } else {
            Severity.EMERG.log(LOG, "unexpected failure: {}", e.toString(), e);
        }
    }
}
