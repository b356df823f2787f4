package io.zonesync.log;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reason part of nginx's {@code open() "FILE" failed (REASON)} and
 * {@code connect() to ADDRESS failed (REASON)} for a Java or Netty I/O failure: the operating
 * system's {@code errno: text}, where Java or Netty kept it.
 */
public final class ErrnoText {
    /** Netty's native transport says e.g. {@code finishConnect(..) failed with error(-111): Connection refused}. */
    private static final Pattern NATIVE = Pattern.compile("error\\((-?\\d+)\\): ([^:]+)");
    /** The socket errors a node meets, by the words Java's own transport gives them. */
    private static final Map<String, Integer> SOCKET_ERRORS = Map.of(
            "connection refused", 111,
            "connection timed out", 110,
            "no route to host", 113,
            "network is unreachable", 101,
            "connection reset by peer", 104,
            "broken pipe", 32,
            "too many open files", 24);
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

    /**
     * A socket failure as {@code errno: text}, e.g. {@code 111: Connection refused}: from the
     * errno Netty's native transport carries, from Java's words for the common errors, else the
     * exception's own message.
     */
    public static String ofSocket(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectTimeoutException) {
                return "110: Connection timed out";
            }
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            Matcher n = NATIVE.matcher(m);
            if (n.find()) {
                return Math.abs(Integer.parseInt(n.group(1))) + ": " + n.group(2).trim();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            String lower = m.toLowerCase(Locale.ROOT);
            for (Map.Entry<String, Integer> e : SOCKET_ERRORS.entrySet()) {
                if (lower.startsWith(e.getKey())) {
                    return e.getValue() + ": " + Character.toUpperCase(e.getKey().charAt(0)) + e.getKey().substring(1);
                }
            }
        }
        if (failure == null) {
            return "unknown error";
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    /** nginx's {@code connect() to ADDRESS failed (REASON)}. */
    public static String connectFailed(Object address, Throwable failure) {
        return "connect() to " + address + " failed (" + ofSocket(failure) + ")";
    }
}
