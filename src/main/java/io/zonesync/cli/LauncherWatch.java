package io.zonesync.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Follows the launcher (bin/zonesync, the node's parent) and reports once it has really exited.
 *
 * <p>The JDK's exit notice for a process that is not our child is only a hint: it polls
 * {@code /proc/PID/stat}, and when the node has no file descriptor left (EMFILE) that read fails
 * and is taken for an exit. So an exit counts only when {@code /proc/PID} itself is gone, which a
 * stat(2) tells without opening anything; any other answer (an error included) means the launcher
 * is still there, and the watch starts over after a pause. Without {@code /proc} the JDK's word
 * is taken.
 */
final class LauncherWatch {
    /** Pause before following the launcher again after a notice that turned out wrong. */
    private static final long RETRY_MS = 1000;
    private static final Path PROC = Path.of("/proc");

    private final long pid;
    private final Path procDir;

    private LauncherWatch(long pid) {
        this.pid = pid;
        this.procDir = PROC.resolve(Long.toString(pid));
    }

    /** Runs {@code onExit} once, on a daemon thread, when the launcher with this pid has exited. */
    static void start(long pid, Runnable onExit) {
        LauncherWatch watch = new LauncherWatch(pid);
        Thread t = new Thread(() -> watch.follow(onExit), "zonesync-launcher-watch");
        t.setDaemon(true);
        t.start();
    }

    private void follow(Runnable onExit) {
        boolean hasProc = Files.isDirectory(PROC.resolve("self"));
        while (true) {
            Optional<ProcessHandle> launcher = ProcessHandle.of(pid);
            launcher.ifPresent(p -> p.onExit().join());
            if (hasProc ? gone() : launcher.isEmpty()) {
                onExit.run();
                return;
            }
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether {@code /proc/PID} is certainly gone; a stat(2) opens no file descriptor. */
    private boolean gone() {
        try {
            Files.readAttributes(procDir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return false;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
