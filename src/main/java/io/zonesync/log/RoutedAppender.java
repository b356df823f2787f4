package io.zonesync.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes the events logged on an {@link ErrorLogRoute} to that route's logs, each at its level, in
 * nginx's line format. Files are opened when first written and again by name after
 * {@link #reopen} (logrotate). A file that cannot be opened is said once on the terminal and its
 * lines are lost until the next reopen, as a full disk would lose them.
 */
final class RoutedAppender extends AppenderBase<ILoggingEvent> {
    private final PrintStream console;
    private final ErrorLogLayout layout = new ErrorLogLayout();
    private final Map<Path, OutputStream> files = new HashMap<>();

    RoutedAppender(PrintStream console) {
        this.console = console;
    }

    @Override
    public void start() {
        layout.setContext(getContext());
        layout.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        ErrorLogRoute route = ErrorLogRoute.of(event);
        if (route == null) {
            return;
        }
        Severity severity = Severity.of(event);
        byte[] line = null;
        for (ErrorLogTarget t : route.targets()) {
            if (!severity.atLeast(t.level())) {
                continue;
            }
            if (line == null) {
                line = layout.doLayout(event).getBytes(StandardCharsets.UTF_8);
            }
            try {
                OutputStream out = t.isStderr() ? console : file(t.file());
                if (out != null) {
                    out.write(line);
                    out.flush();
                }
            } catch (IOException e) {
                addError("writing to error log " + t.describe() + " failed", e);
            }
        }
    }

    private OutputStream file(Path path) {
        if (files.containsKey(path)) {
            return files.get(path);
        }
        OutputStream out = null;
        try {
            out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            console.print("zonesync: [alert] " + ErrnoText.openFailed(path, e) + "\n");
            console.flush();
        }
        files.put(path, out);
        return out;
    }

    /** Closes the files; each is opened again by name when next written (USR1, after logrotate). */
    synchronized void reopen() {
        for (OutputStream out : files.values()) {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    addError("closing an error log failed", e);
                }
            }
        }
        files.clear();
    }

    @Override
    public void stop() {
        reopen();
        super.stop();
    }
}
