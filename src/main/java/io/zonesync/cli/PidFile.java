package io.zonesync.cli;

import io.zonesync.log.ErrnoText;
import io.zonesync.log.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The pid file: written at start, read by {@code -s}, removed at exit. A file left by a process
 * that is gone (or is not zonesync) is overwritten; one naming a running zonesync is an error, so
 * two nodes do not share one pid file.
 */
final class PidFile {
    /** Enough for any pid plus line ends, as nginx reads. */
    private static final int MAX_SHOWN = 32;

    private PidFile() {
    }

    /** The pid in the file, with nginx's errors for a missing or invalid file. */
    static long read(Path file) throws CommandFailure {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new CommandFailure(Severity.ERROR, ErrnoText.openFailed(file, e));
        }
        OptionalPid pid = parse(text);
        if (pid.value < 0) {
            throw new CommandFailure(Severity.ERROR, "invalid PID number \"" + pid.shown + "\" in \"" + file + "\"");
        }
        return pid.value;
    }

    /** Writes {@code pid}, unless the file names another zonesync that is running. */
    static void claim(Path file, long pid) throws CommandFailure {
        checkFree(file, pid);
        // written aside and moved into place, so that whoever sees the file sees the whole pid
        Path aside = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.writeString(aside, pid + "\n", StandardCharsets.ISO_8859_1);
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(aside);
            } catch (IOException ignored) {
                // the error below says what went wrong
            }
            throw new CommandFailure(Severity.EMERG, ErrnoText.openFailed(file, e));
        }
    }

    /** Fails if the file names another zonesync that is running; writes nothing. */
    static void checkFree(Path file, long pid) throws CommandFailure {
        if (Files.exists(file)) {
            long other = -1;
            try {
                other = parse(Files.readString(file, StandardCharsets.ISO_8859_1)).value;
            } catch (IOException unreadable) {
                // claim writes over it, or its write fails with the reason
            }
            if (other > 0 && other != pid && other != ProcessHandle.current().pid() && isZonesync(other)) {
                throw new CommandFailure(Severity.EMERG, "pid file \"" + file + "\" names process " + other
                        + ", a zonesync that is still running: stop it first (\"zonesync -s stop\"),"
                        + " or give this node another \"pid\"");
            }
        }
    }

    /** Removes the file if it still names {@code pid} (a newer node may have taken it over). */
    static void release(Path file, long pid) {
        try {
            if (parse(Files.readString(file, StandardCharsets.ISO_8859_1)).value == pid) {
                Files.delete(file);
            }
        } catch (IOException gone) {
            // nothing to remove
        }
    }

    private static boolean isZonesync(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        // Without a command line to look at, assume it is one: refusing to start is safer than two nodes.
        return process.isPresent()
                && process.get().info().commandLine().map(line -> line.contains("zonesync")).orElse(true);
    }

    private record OptionalPid(long value, String shown) {
    }

    /** Digits, then line ends only, as nginx accepts; a value of -1 means invalid. */
    private static OptionalPid parse(String text) {
        String digits = text.replaceAll("[\r\n]+$", "");
        String shown = digits.length() > MAX_SHOWN ? digits.substring(0, MAX_SHOWN) + "..." : digits;
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return new OptionalPid(-1, shown);
        }
        long value = Long.parseLong(digits);
        return new OptionalPid(value == 0 ? -1 : value, shown);
    }
}
