package io.zonesync.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/zonesync} run as a separate process, as an operator runs it: a prefix directory with
 * {@code conf/zonesync.conf}, output in {@code zonesync.out}, signals with {@code kill -s}.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Path REPO = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    public static final Path LAUNCHER = REPO.resolve("bin/zonesync");

    public final Path prefix;
    private final int httpPort;
    private final int fileLimit;
    private Process process;

    private NodeProcess(Path prefix, int httpPort, int fileLimit) {
        this.prefix = prefix;
        this.httpPort = httpPort;
        this.fileLimit = fileLimit;
    }

    /** Writes the configuration and starts the node; returns once it answers HTTP on {@code httpPort}. */
    public static NodeProcess start(Path prefix, String config, int httpPort) throws IOException {
        return start(prefix, config, httpPort, 0);
    }

    /** As above, started as {@code ulimit -n fileLimit; exec bin/zonesync ...} (0: the limit this JVM has). */
    public static NodeProcess start(Path prefix, String config, int httpPort, int fileLimit) throws IOException {
        Files.createDirectories(prefix.resolve("conf"));
        Files.createDirectories(prefix.resolve("logs"));
        Files.writeString(prefix.resolve("conf/zonesync.conf"), config);
        NodeProcess p = new NodeProcess(prefix, httpPort, fileLimit);
        p.launch();
        return p;
    }

    /** Starts the process again with the configuration as it is on disk. */
    public void launch() throws IOException {
        List<String> command = new ArrayList<>();
        if (fileLimit > 0) {
            command.addAll(List.of("bash", "-c", "ulimit -n " + fileLimit + " && exec \"$0\" \"$@\""));
        }
        command.addAll(List.of(LAUNCHER.toString(), "-p", prefix.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(prefix.resolve("zonesync.out").toFile())).start();
        Http http = http();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("zonesync exited with " + process.exitValue() + ":\n" + output());
            }
            return http.answers();
        });
    }

    public Http http() {
        return new Http("127.0.0.1", httpPort);
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
