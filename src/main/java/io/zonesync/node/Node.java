package io.zonesync.node;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import java.io.IOException;

/**
 * A running zonesync node: everything one configuration describes (listeners, zones, logs),
 * assembled from the feature packages. The command line drives it; signals map onto its methods.
 */
public final class Node {

    private Node() {
    }

    /** Validates and compiles a configuration without starting anything ({@code -t}). */
    public static void check(ParsedConfig config) throws ConfigException {
        throw new UnsupportedOperationException("being implemented");
    }

    /** Builds and starts a node: binds listeners, opens zones and logs. */
    public static Node start(ParsedConfig config) throws ConfigException, IOException {
        throw new UnsupportedOperationException("being implemented");
    }

    /**
     * HUP: applies a new configuration. A bad one throws and the old one keeps serving; a good one
     * keeps the contents of zones that keep their name and type.
     */
    public void reload(ParsedConfig config) throws ConfigException, IOException {
        throw new UnsupportedOperationException("being implemented");
    }

    /** QUIT: stop accepting, finish requests in flight, flush what must be flushed, close. Blocks until done. */
    public void quit() {
        throw new UnsupportedOperationException("being implemented");
    }

    /** TERM/INT: stop now. */
    public void stop() {
        throw new UnsupportedOperationException("being implemented");
    }

    /** USR1: reopen log files. */
    public void reopenLogs() {
        throw new UnsupportedOperationException("being implemented");
    }

    /** Blocks until the node has stopped. */
    public void awaitTermination() throws InterruptedException {
        throw new UnsupportedOperationException("being implemented");
    }
}
