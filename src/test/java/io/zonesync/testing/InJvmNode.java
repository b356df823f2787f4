package io.zonesync.testing;

import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real {@link Node} in the test JVM, configured from text written to {@code dir/zonesync.conf}
 * with {@code dir} as its prefix. Listen on {@code 127.0.0.1:0}; {@link #http()} finds the port.
 */
public final class InJvmNode implements TestCluster.Member {
    public final Path dir;
    public final Node node;

    private InJvmNode(Path dir, Node node) {
        this.dir = dir;
        this.node = node;
    }

    public static InJvmNode start(Path dir, String config) throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        return new InJvmNode(dir, Node.start(parse(dir, config)));
    }

    public static ParsedConfig parse(Path dir, String config) throws Exception {
        Path file = dir.resolve("zonesync.conf");
        Files.writeString(file, config);
        return ConfigParser.parseFile(file, dir, null);
    }

    @Override
    public void reload(String config) throws Exception {
        node.reload(parse(dir, config));
    }

    /** The first HTTP listener. */
    public int httpPort() {
        return ((InetSocketAddress) node.httpAddresses().values().iterator().next()).getPort();
    }

    /** The port bound for a {@code listen} of the http block, by its address as written ({@code 127.0.0.2:0}). */
    public int httpPort(String listen) {
        return ((InetSocketAddress) node.httpAddresses().get(listen)).getPort();
    }

    /** The first zone_sync listener. */
    @Override
    public int syncPort() {
        return ((InetSocketAddress) node.syncAddresses().get(0)).getPort();
    }

    public Http http() {
        return new Http("127.0.0.1", httpPort());
    }

    @Override
    public void close() {
        node.stop();
    }
}
