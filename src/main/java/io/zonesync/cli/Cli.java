package io.zonesync.cli;

import io.zonesync.core.CoreSettings;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigSource;
import io.zonesync.log.ErrorLog;
import io.zonesync.log.ErrorLogTarget;
import io.zonesync.log.Severity;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * zonesync's command line, behaving like nginx's: options ({@link Options}), then the error log
 * used while starting ({@code -e}), then the configuration; then one of {@code -t}/{@code -T}
 * (test), {@code -s} (signal the running node through its pid file) or running the node in the
 * foreground ({@link RunLoop}). Messages to the terminal go to stderr as {@code zonesync: ...};
 * {@code -T}'s dump goes to stdout. Exit status 0 on success, 1 on any failure.
 *
 * <p>As in nginx, a relative {@code -c} or {@code -e} resolves against the prefix, not the current
 * directory.
 */
public final class Cli {
    public static final String DEFAULT_CONF = "conf/zonesync.conf";
    /** The system property bin/zonesync sets to the installation directory: the default prefix. */
    public static final String PREFIX_PROPERTY = "zonesync.prefix";
    /** The environment variable bin/zonesync sets to its own pid, which goes into the pid file. */
    public static final String LAUNCHER_PID_ENV = "ZONESYNC_LAUNCHER_PID";
    private static final Logger LOG = LoggerFactory.getLogger("zonesync");

    private final NodeRunner runner;
    private final PrintStream out;
    private final PrintStream err;
    private final SignalSender signals;
    private final Path defaultPrefix;
    private final OptionalLong launcherPid;
    private final SignalListener.Source signalSource;

    Cli(NodeRunner runner, PrintStream out, PrintStream err, SignalSender signals, Path defaultPrefix,
            OptionalLong launcherPid, SignalListener.Source signalSource) {
        this.runner = runner;
        this.out = out;
        this.err = err;
        this.signals = signals;
        this.defaultPrefix = defaultPrefix.toAbsolutePath().normalize();
        this.launcherPid = launcherPid;
        this.signalSource = signalSource;
    }

    /** The command line of this process: System.out/err, the prefix and launcher pid bin/zonesync passes. */
    public static Cli forThisProcess(NodeRunner runner) {
        String prefix = System.getProperty(PREFIX_PROPERTY, "");
        return new Cli(runner, System.out, System.err, SignalSender.killCommand(), Path.of(prefix),
                launcherPid(System.getenv(LAUNCHER_PID_ENV)), SignalListener::install);
    }

    /** The launcher's pid if it is really our parent (an inherited variable is ignored). */
    static OptionalLong launcherPid(String value) {
        if (value == null || !value.matches("[0-9]{1,18}")) {
            return OptionalLong.empty();
        }
        long pid = Long.parseLong(value);
        boolean parent = ProcessHandle.current().parent().map(p -> p.pid() == pid).orElse(false);
        return parent ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    /** Runs the command line; returns the exit status. */
    public int run(String... args) {
        // Taken over first, so nothing (Netty included) logs through Logback's default console setup.
        try (ErrorLog logs = ErrorLog.install(err)) {
            try {
                return run(args, logs);
            } catch (RuntimeException e) {
                Severity.EMERG.log(LOG, "unexpected failure: {}", e.toString(), e);
                return 1;
            }
        }
    }

    private int run(String[] args, ErrorLog logs) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            err.print("zonesync: " + e.getMessage() + "\n");
            return 1;
        }
        if (options.version()) {
            err.print(Usage.version());
            if (options.buildInfo()) {
                err.print(Usage.buildInfo(runner.moduleNames()));
            }
            if (options.help()) {
                err.print(Usage.help(defaultPrefix));
            }
            err.flush();
            if (!options.test()) {
                return 0;
            }
        }
        Path prefix = options.prefix() == null ? defaultPrefix : Path.of(options.prefix()).toAbsolutePath().normalize();
        return run(options, prefix, logs);
    }

    private int run(Options options, Path prefix, ErrorLog logs) {
        if (options.errorLog() == null) {
            createDefaultLogDirectory(prefix);
        }
        String errorLog = options.errorLog() == null ? CoreSettings.DEFAULT_ERROR_LOG : options.errorLog();
        logs.useStartupLog(ErrorLogTarget.of(errorLog, prefix, Severity.NOTICE));
        Path conf = prefix.resolve(options.confFile() == null ? DEFAULT_CONF : options.confFile()).normalize();
        ConfigLocation location = new ConfigLocation(conf, prefix, options.globals(),
                ErrorLogTarget.of(errorLog, prefix, Severity.ERROR));
        ConfigLocation.Loaded loaded;
        if (options.signal() != null) {
            logs.configWarnings().holding(); // the running node gave them when it read this file
        } else {
            logs.configWarnings().reading();
        }
        try {
            loaded = location.load(runner);
        } catch (ConfigException e) {
            logs.configWarnings().dropped();
            Severity.EMERG.log(LOG, e.getMessage());
            return testFailed(options, conf);
        } catch (RuntimeException e) {
            logs.configWarnings().dropped();
            Severity.EMERG.log(LOG, "unexpected failure while reading {}: {}", conf, e.toString(), e);
            return testFailed(options, conf);
        }
        if (options.test() || options.signal() != null) {
            logs.configWarnings().dropped();
        }
        if (options.test()) {
            return test(options, conf, loaded, logs);
        }
        if (options.signal() != null) {
            return signal(options.signal(), loaded.settings().pidFile());
        }
        long pid = launcherPid.orElse(ProcessHandle.current().pid());
        return new RunLoop(runner, logs, location, pid, launcherPid, signalSource).run(loaded);
    }

    private int testFailed(Options options, Path conf) {
        if (options.test()) {
            err.print("zonesync: configuration file " + conf + " test failed\n");
        }
        return 1;
    }

    private int test(Options options, Path conf, ConfigLocation.Loaded loaded, ErrorLog logs) {
        if (!options.quiet()) {
            err.print("zonesync: the configuration file " + conf + " syntax is ok\n");
        }
        // as nginx -t, files are opened after the syntax is known to be ok
        try {
            logs.open(loaded.settings().errorLogs()).close();
            loaded.files().run();
        } catch (IOException | ConfigException e) {
            Severity.EMERG.log(LOG, e.getMessage());
            return testFailed(options, conf);
        }
        if (!options.quiet()) {
            err.print("zonesync: configuration file " + conf + " test is successful\n");
        }
        err.flush();
        if (options.dump()) {
            for (ConfigSource source : loaded.config().sources()) {
                out.print("# configuration file " + source.path() + ":\n");
                out.print(source.text());
                out.print("\n");
            }
            out.flush();
        }
        return 0;
    }

    private int signal(NodeSignal signal, Path pidFile) {
        Severity.NOTICE.log(LOG, "signal process started");
        long pid;
        try {
            pid = PidFile.read(pidFile);
        } catch (CommandFailure f) {
            f.severity().log(LOG, f.getMessage());
            return 1;
        }
        try {
            signals.send(pid, signal);
        } catch (IOException e) {
            Severity.ALERT.log(LOG, "kill({}, {}) failed ({})", pid, signal.signalNumber(), e.getMessage());
            return 1;
        }
        return 0;
    }

    /** Makes {@code logs/} under the prefix, where the default error log and pid file go; nginx's install does. */
    private static void createDefaultLogDirectory(Path prefix) {
        try {
            Files.createDirectories(prefix.resolve("logs"));
        } catch (IOException e) {
            // reported when the log itself cannot be opened
        }
    }
}
