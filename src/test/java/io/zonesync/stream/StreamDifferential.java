package io.zonesync.stream;

import static org.awaitility.Awaitility.await;

import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.Nginx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * zonesync and Debian's nginx on one stream block, side by side: {@link #both} runs the same
 * exchange against each and returns what each gave, each server's own port replaced by
 * {@code PORT}. In the block, {@code LISTEN} stands for each server's address, {@code UDP} for the
 * same address (for a {@code udp} listener, {@link #bothUdp}) and {@code LOGS} for a directory of
 * its own ({@link #logs} reads a file there).
 */
public final class StreamDifferential implements AutoCloseable {
    private final InJvmNode zonesync;
    private final Nginx nginx;
    private final Path dir;

    /** One exchange with a server at host:port. */
    @FunctionalInterface
    public interface Exchange {
        String run(String host, int port) throws IOException;
    }

    public record Pair(String zonesync, String nginx) {
    }

    private StreamDifferential(InJvmNode zonesync, Nginx nginx, Path dir) {
        this.zonesync = zonesync;
        this.nginx = nginx;
        this.dir = dir;
    }

    public static StreamDifferential start(Path dir, String stream) throws Exception {
        Files.createDirectories(dir.resolve("nginx/logs"));
        Files.createDirectories(dir.resolve("zonesync/logs"));
        Nginx nginx = Nginx.startStream(dir.resolve("nginx"),
                stream.replace("UDP", "LISTEN").replace("LOGS", dir.resolve("nginx/logs").toString()));
        try {
            InJvmNode node = InJvmNode.start(dir.resolve("zonesync"), "events { }\nstream {\n"
                    + stream.replace("LISTEN", "127.0.0.1:0").replace("UDP", "127.0.0.1:0")
                            .replace("LOGS", dir.resolve("zonesync/logs").toString())
                    + "\n}\n");
            StreamDifferential d = new StreamDifferential(node, nginx, dir);
            // nginx was probed with a connection when it started: so is zonesync, for the same log lines
            new Socket("127.0.0.1", d.zonesyncPort()).close();
            return d;
        } catch (Exception | Error e) {
            nginx.close();
            throw e;
        }
    }

    public int zonesyncPort() {
        return ((InetSocketAddress) zonesync.node.streamAddresses().get("127.0.0.1:0")).getPort();
    }

    /** As {@link #both}, with the {@code UDP} listener. */
    public Pair bothUdp(Exchange e) throws IOException {
        int udp = ((InetSocketAddress) zonesync.node.streamAddresses().get("127.0.0.1:0 udp")).getPort();
        String z = e.run("127.0.0.1", udp).replace(Integer.toString(udp), "PORT");
        String n = e.run("127.0.0.2", nginx.port()).replace(Integer.toString(nginx.port()), "PORT");
        return new Pair(z, n);
    }

    public Pair both(Exchange e) throws IOException {
        String z = e.run("127.0.0.1", zonesyncPort()).replace(Integer.toString(zonesyncPort()), "PORT");
        String n = e.run("127.0.0.2", nginx.port()).replace(Integer.toString(nginx.port()), "PORT");
        return new Pair(z, n);
    }

    /**
     * The lines of {@code LOGS/name} on each side once both have {@code lines} of them (zonesync
     * writes its logs on a thread of its own), ports replaced as in {@link #both}; the line of the
     * connection that found each server started is left out.
     */
    public Pair logs(String name, int lines) throws IOException {
        Path z = dir.resolve("zonesync/logs").resolve(name);
        Path n = dir.resolve("nginx/logs").resolve(name);
        await().atMost(Duration.ofSeconds(10)).until(() -> read(z).size() > lines && read(n).size() > lines);
        return new Pair(String.join("\n", read(z).subList(1, lines + 1)).replace(Integer.toString(zonesyncPort()), "PORT"),
                String.join("\n", read(n).subList(1, lines + 1)).replace(Integer.toString(nginx.port()), "PORT"));
    }

    private static List<String> read(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    public String nginxErrors() throws IOException {
        return nginx.errorLog();
    }

    @Override
    public void close() {
        try {
            zonesync.close();
        } finally {
            nginx.close();
        }
    }
}
