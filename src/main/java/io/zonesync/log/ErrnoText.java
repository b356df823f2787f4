package io.zonesync.log;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The reason part of nginx's {@code open() "FILE" failed (REASON)} for a Java I/O failure: the
 * operating system's words where Java kept them.
 */
public final class ErrnoText {
    private ErrnoText() {
    }

    /** e.g. {@code 2: No such file or directory}. */
    public static String of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "2: No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "13: Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "20: Not a directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** nginx's {@code open() "FILE" failed (REASON)}. */
    public static String openFailed(Object file, IOException e) {
        return "open() \"" + file + "\" failed (" + of(e) + ")";
    }
}
