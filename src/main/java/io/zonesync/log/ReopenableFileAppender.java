package io.zonesync.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends to one file and can open it again by name, for logrotate: after the file is moved away,
 * {@link #reopen} creates a new one and the old stream is closed. Writers are never left without a
 * stream: if the new open fails, the old one stays.
 */
final class ReopenableFileAppender extends OutputStreamAppender<ILoggingEvent> {
    private final Path file;

    ReopenableFileAppender(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Opens (or re-opens) the file for appending, creating it if it is missing. */
    void reopen() throws IOException {
        OutputStream out;
        try {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException(ErrnoText.openFailed(file, e), e);
        }
        setOutputStream(out);
    }
}
