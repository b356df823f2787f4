package io.zonesync.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * {@code bin/zonesync} run as a separate process, as an operator runs it: a prefix directory with
 * {@code conf/zonesync.conf}, output in {@code zonesync.out}, signals with {@code kill -s}.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Path REPO = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    public static final Path LAUNCHER = REPO.resolve("bin/zonesync");

    public final Path prefix;
    private final String host;
    /** The port HTTP is configured on; 0 for the kernel's choice, found after each launch. */
    private final int configuredPort;
    private int httpPort;
    private final UnaryOperator<List<String>> wrapper;
    private Process process;

    private NodeProcess(Path prefix, String host, int httpPort, UnaryOperator<List<String>> wrapper) {
        this.prefix = prefix;
        this.host = host;
        this.configuredPort = httpPort;
        this.httpPort = httpPort;
        this.wrapper = wrapper;
    }

    /**
     * Writes the configuration and starts the node; returns once it answers HTTP on
     * {@code httpPort}, or, for 0, on the port it listens on at 127.0.0.1 (its only listener there).
     */
    public static NodeProcess start(Path prefix, String config, int httpPort) throws IOException {
        return start(prefix, config, "127.0.0.1", httpPort, UnaryOperator.identity());
    }

    /** As above, started as {@code ulimit -n fileLimit; exec bin/zonesync ...}. */
    public static NodeProcess start(Path prefix, String config, int httpPort, int fileLimit) throws IOException {
        return start(prefix, config, "127.0.0.1", httpPort, command -> {
            List<String> limited = new ArrayList<>(List.of("bash", "-c", "ulimit -n " + fileLimit + " && exec \"$0\" \"$@\""));
            limited.addAll(command);
            return limited;
        });
    }

    /**
     * As {@link #start(Path, String, int)}, for a node that answers HTTP on {@code host} and whose
     * command line {@code wrapper} rewrites (e.g. to run it in a {@link NetLab} namespace).
     */
    public static NodeProcess start(Path prefix, String config, String host, int httpPort,
            UnaryOperator<List<String>> wrapper) throws IOException {
        Files.createDirectories(prefix.resolve("conf"));
        Files.createDirectories(prefix.resolve("logs"));
        Files.writeString(prefix.resolve("conf/zonesync.conf"), config);
        NodeProcess p = new NodeProcess(prefix, host, httpPort, wrapper);
        try {
            p.launch();
        } catch (RuntimeException | Error e) {
            p.close(); // a node that never answered is not left running after the test
            throw e;
        }
        return p;
    }

    /** Starts the process again with the configuration as it is on disk. */
    public void launch() throws IOException {
        List<String> command = wrapper.apply(new ArrayList<>(List.of(LAUNCHER.toString(), "-p", prefix.toString())));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(prefix.resolve("zonesync.out").toFile())).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("zonesync exited with " + process.exitValue() + ":\n" + output());
            }
            if (configuredPort == 0) {
                List<Integer> bound = ListeningSockets.ports(jvmPid(), host);
                if (bound.size() != 1) {
                    return false;
                }
                httpPort = bound.get(0);
            }
            return http().answers();
        });
    }

    /** The port HTTP answers on (the one found, when the configuration said 0). */
    public int httpPort() {
        return httpPort;
    }

    public Http http() {
        return new Http(host, httpPort);
    }

    public String output() throws IOException {
        Path out = prefix.resolve("zonesync.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -s " + name + " " + process.pid() + " failed");
        }
    }

    /** Stops the node's JVM where it stands ({@code SIGSTOP}): it neither reads nor writes until {@link #resume}. */
    public void pause() {
        jvmSignal("STOP");
    }

    /** Lets a {@link #pause}d JVM run again ({@code SIGCONT}). */
    public void resume() {
        jvmSignal("CONT");
    }

    private void jvmSignal(String name) {
        process.descendants().forEach(child -> {
            try {
                if (new ProcessBuilder("kill", "-s", name, Long.toString(child.pid())).start().waitFor() != 0) {
                    throw new IllegalStateException("kill -s " + name + " " + child.pid() + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** As {@code kill -9}: the launcher and the JVM die at once, nothing is flushed. */
    public void kill9() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** Waits for the process to exit and returns its status. */
    public int waitForExit() throws InterruptedException, IOException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("zonesync did not exit within 60 s:\n" + output());
        }
        return process.exitValue();
    }

    /** The pid of the node's JVM (the launcher's child), for jcmd and /proc; the launcher's own if it has none. */
    public long jvmPid() {
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(process.pid());
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        if (isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
