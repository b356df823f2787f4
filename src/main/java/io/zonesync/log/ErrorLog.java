package io.zonesync.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The process's error logs, set up through Logback from the {@code error_log} directives (or
 * {@code -e}), as nginx does:
 * <ol>
 * <li>{@link #install} takes over Logback's root logger (whatever a logback.xml or Logback's
 *     default had attached is put aside, and restored by {@link #close});</li>
 * <li>{@link #useStartupLog} opens the log used while the configuration is read ({@code -e}, else
 *     {@code logs/error.log} under the prefix), at {@code notice}; if it cannot be opened, that is
 *     said on stderr and stderr is used. Until {@link #endStartup}, messages of level {@code warn}
 *     and above are also echoed to the terminal as {@code zonesync: [emerg] ...}, unless a log
 *     already goes to stderr;</li>
 * <li>{@link #open} opens the configured logs without using them yet (so a reload whose log
 *     cannot be opened changes nothing), and {@link #activate} switches to them;</li>
 * <li>{@link #reopen} opens every file again by name (USR1, after logrotate moved them away).</li>
 * </ol>
 * The lines of requests whose server or location has {@code error_log}s of its own go there
 * instead ({@link ErrorLogRoute}, written by a {@link RoutedAppender} on the root logger).
 * While it is installed, {@link #configWarnings} keeps a configuration's warnings from being
 * written again each time the same configuration is read.
 * The line format is {@link ErrorLogLayout}'s; the level mapping is {@link Severity}'s. Methods
 * are meant for one control thread; logging goes on from any thread meanwhile.
 */
public final class ErrorLog implements AutoCloseable {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("zonesync");

    private final Logger root;
    private final PrintStream console;
    private final List<Appender<ILoggingEvent>> displaced = new ArrayList<>();
    private final Level displacedLevel;
    private final ConfigWarnings configWarnings = new ConfigWarnings();
    private OpenedLogs active;
    private Appender<ILoggingEvent> echo;
    private RoutedAppender routed;

    private ErrorLog(Logger root, PrintStream console) {
        this.root = root;
        this.console = console;
        this.displacedLevel = root.getLevel();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext();) {
            displaced.add(it.next());
        }
        for (Appender<ILoggingEvent> a : displaced) {
            root.detachAppender(a);
        }
        this.active = new OpenedLogs(List.of(), List.of());
    }

    /** Takes over Logback's root logger; {@code console} is the terminal (stderr). */
    public static ErrorLog install(PrintStream console) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ErrorLog log = new ErrorLog(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), console);
        log.echo = log.consoleAppender(new ConsoleLayout(), new SeverityFilter(Severity.WARN));
        log.root.addAppender(log.echo);
        log.routed = new RoutedAppender(console);
        log.routed.setContext(context);
        log.routed.start();
        log.root.addAppender(log.routed);
        log.configWarnings.setContext(context);
        log.configWarnings.start();
        context.addTurboFilter(log.configWarnings);
        log.updateLevel();
        return log;
    }

    /** The log used until the configuration's own logs are active (nginx's {@code -e}). */
    public void useStartupLog(ErrorLogTarget target) {
        try {
            activate(open(List.of(target)));
        } catch (IOException e) {
            console.print("zonesync: [alert] could not open error log file: " + e.getMessage() + "\n");
            console.flush();
            try {
                activate(open(List.of(ErrorLogTarget.stderr(target.level()))));
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /**
     * Opens the given logs (creating files as needed) without writing to them yet.
     *
     * @throws IOException naming the file and the reason, as {@code open() "F" failed (R)}
     */
    public OpenedLogs open(List<ErrorLogTarget> targets) throws IOException {
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        try {
            for (ErrorLogTarget t : targets) {
                SeverityFilter filter = new SeverityFilter(t.level());
                if (t.isStderr()) {
                    appenders.add(consoleAppender(new ErrorLogLayout(), filter));
                } else {
                    ReopenableFileAppender file = new ReopenableFileAppender(t.file());
                    configure(file, new ErrorLogLayout(), filter);
                    file.reopen();
                    file.start();
                    appenders.add(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            appenders.forEach(Appender::stop);
            throw e;
        }
        return new OpenedLogs(targets, appenders);
    }

    /** Switches to logs from {@link #open}; the previous ones are closed. */
    public void activate(OpenedLogs next) {
        OpenedLogs previous = active;
        active = next;
        next.inUse = true;
        next.appenders.forEach(root::addAppender);
        for (Appender<ILoggingEvent> a : previous.appenders) {
            root.detachAppender(a);
            a.stop();
        }
        if (echo != null && next.targets.stream().anyMatch(ErrorLogTarget::isStderr)) {
            endStartup();
        }
        updateLevel();
    }

    /** Stops copying warnings and worse to the terminal: the node is up. */
    public void endStartup() {
        if (echo != null) {
            root.detachAppender(echo);
            echo.stop();
            echo = null;
            updateLevel();
        }
    }

    /** Opens every log file again by name; a file that cannot be opened keeps its old stream. */
    public void reopen() {
        for (Appender<ILoggingEvent> a : active.appenders) {
            if (a instanceof ReopenableFileAppender file) {
                try {
                    file.reopen();
                } catch (IOException e) {
                    Severity.ALERT.log(LOG, "reopening error log \"{}\" failed: {}; still writing to the old file",
                            file.file(), e.getMessage());
                }
            }
        }
        routed.reopen();
    }

    /** The logs in use. */
    public List<ErrorLogTarget> targets() {
        return active.targets;
    }

    /** Where the control thread says when it reads a configuration, and whether it took effect. */
    public ConfigWarnings configWarnings() {
        return configWarnings;
    }

    /** Closes the logs and gives Logback's root logger back what it had before {@link #install}. */
    @Override
    public void close() {
        endStartup();
        for (Appender<ILoggingEvent> a : active.appenders) {
            root.detachAppender(a);
            a.stop();
        }
        active = new OpenedLogs(List.of(), List.of());
        root.detachAppender(routed);
        routed.stop();
        displaced.forEach(root::addAppender);
        root.setLevel(displacedLevel);
        root.getLoggerContext().getTurboFilterList().remove(configWarnings);
        configWarnings.stop();
    }

    private void updateLevel() {
        Level finest = Level.OFF;
        for (ErrorLogTarget t : active.targets) {
            if (!t.level().logbackLevel().isGreaterOrEqual(finest)) {
                finest = t.level().logbackLevel();
            }
        }
        if (echo != null && !Level.WARN.isGreaterOrEqual(finest)) {
            finest = Level.WARN;
        }
        Level routes = ErrorLogRoute.finest();
        if (routes != null && !routes.isGreaterOrEqual(finest)) {
            finest = routes;
        }
        root.setLevel(finest);
    }

    private Appender<ILoggingEvent> consoleAppender(LayoutBase<ILoggingEvent> layout, SeverityFilter filter) {
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        configure(appender, layout, filter);
        appender.setOutputStream(new FilterOutputStream(console) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // the terminal outlives any log configuration
            }
        });
        appender.start();
        return appender;
    }

    private void configure(OutputStreamAppender<ILoggingEvent> appender, LayoutBase<ILoggingEvent> layout,
            SeverityFilter filter) {
        LoggerContext context = root.getLoggerContext();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.addFilter(filter);
        filter.start();
        NotRoutedFilter notRouted = new NotRoutedFilter();
        notRouted.start();
        appender.addFilter(notRouted);
    }

    /** Logs opened by {@link #open}; {@link #close} discards them unless they were activated. */
    public static final class OpenedLogs implements AutoCloseable {
        private final List<ErrorLogTarget> targets;
        private final List<Appender<ILoggingEvent>> appenders;
        private boolean inUse;

        private OpenedLogs(List<ErrorLogTarget> targets, List<Appender<ILoggingEvent>> appenders) {
            this.targets = List.copyOf(targets);
            this.appenders = List.copyOf(appenders);
        }

        public List<ErrorLogTarget> targets() {
            return targets;
        }

        @Override
        public void close() {
            if (!inUse) {
                appenders.forEach(Appender::stop);
            }
        }
    }
}
