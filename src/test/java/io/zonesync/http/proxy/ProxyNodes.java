package io.zonesync.http.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Nodes started from configuration text written to a file (so errors name FILE:LINE). */
final class ProxyNodes {
    private ProxyNodes() {
    }

    static ParsedConfig parse(Path dir, String text) throws ConfigException {
        try {
            Files.createDirectories(dir.resolve("logs"));
            Path file = Files.createTempFile(dir, "zonesync", ".conf");
            Files.writeString(file, text);
            return ConfigParser.parseFile(file, dir, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Node start(Path dir, String text) throws ConfigException, IOException {
        return Node.start(parse(dir, text));
    }

    /** The port of the node's (single) HTTP listener. */
    static int port(Node node) {
        return ((InetSocketAddress) node.httpAddresses().values().iterator().next()).getPort();
    }

    /** An http block with error logging kept quiet and no access log. */
    static String http(String body) {
        return "error_log stderr error;\nhttp {\n access_log off;\n" + body + "\n}\n";
    }
}
