package io.zonesync.cli;

import com.sun.management.UnixOperatingSystemMXBean;
import io.zonesync.log.Severity;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's open file limit (RLIMIT_NOFILE): {@code worker_rlimit_nofile} applied to the running
 * node, and nginx's warning when {@code worker_connections} exceed the files the node can still
 * open. Without {@code worker_rlimit_nofile} the soft limit is already the hard one: the JVM
 * raises it so at start ({@code -XX:+MaxFDLimit}, on by default).
 *
 * <p>Java cannot call setrlimit(2), so the limit is set with prlimit(1) (util-linux) on the node's
 * own pid. Up to the hard limit only the soft limit changes (the hard one stays, so a later reload
 * can raise it again); above it both are set, which takes privileges. A failure is logged in
 * nginx's words and the node runs on with the limit it has.
 */
final class FileLimit {
    private static final Logger LOG = LoggerFactory.getLogger("zonesync");
    private static final Path LIMITS = Path.of("/proc/self/limits");
    private static final long UNLIMITED = Long.MAX_VALUE;

    private FileLimit() {
    }

    /** Sets the soft limit to {@code wanted} ({@code worker_rlimit_nofile}); logs an alert when it cannot. */
    static void apply(int wanted) {
        long hard = hardLimit();
        String value = hard != UNLIMITED && wanted > hard ? wanted + ":" + wanted : wanted + ":";
        String failure;
        try {
            Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(ProcessHandle.current().pid()),
                    "--nofile=" + value).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                failure = "prlimit did not finish";
            } else {
                failure = p.exitValue() == 0 ? null : reason(out);
            }
        } catch (IOException e) {
            failure = "prlimit(1) could not be run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        if (failure != null) {
            Severity.ALERT.log(LOG, "setrlimit(RLIMIT_NOFILE, {}) failed ({})", wanted, failure);
        }
    }

    /** Warns, as nginx does, when {@code workerConnections} exceed the files the node can still open. */
    static void check(int workerConnections) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            warning(workerConnections, unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount())
                    .ifPresent(w -> Severity.WARN.log(LOG, w));
        }
    }

    /**
     * nginx's {@code N worker_connections exceed open file resource limit: M}, when {@code
     * workerConnections} are more than the {@code limit} less the files {@code open} already.
     */
    static Optional<String> warning(int workerConnections, long limit, long open) {
        if (limit <= 0 || workerConnections <= limit - open) {
            return Optional.empty();
        }
        return Optional.of(workerConnections + " worker_connections exceed open file resource limit: " + limit
                + " (" + open + " files are open already)");
    }

    /** The hard limit from {@code /proc/self/limits}; unlimited when it cannot be read. */
    private static long hardLimit() {
        try {
            for (String line : Files.readAllLines(LIMITS)) {
                if (line.startsWith("Max open files")) {
                    List<String> fields = List.of(line.substring("Max open files".length()).trim().split("\\s+"));
                    return fields.get(1).equals("unlimited") ? UNLIMITED : Long.parseLong(fields.get(1));
                }
            }
        } catch (IOException | RuntimeException e) {
            return UNLIMITED;
        }
        return UNLIMITED;
    }

    /** prlimit's "prlimit: failed to set the NOFILE resource limit: Operation not permitted": the errno text. */
    private static String reason(String out) {
        int colon = out.lastIndexOf(": ");
        String text = colon < 0 ? out : out.substring(colon + 2);
        return switch (text) {
            case "Operation not permitted" -> "1: Operation not permitted";
            case "Invalid argument" -> "22: Invalid argument";
            default -> text;
        };
    }
}
