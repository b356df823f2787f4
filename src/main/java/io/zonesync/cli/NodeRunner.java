package io.zonesync.cli;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.io.IOException;
import java.util.List;

/**
 * What the command line needs from the node assembly: checking a configuration, starting a node
 * and naming the modules built in. {@link NodeBackedRunner} is the real one; tests use fakes.
 */
public interface NodeRunner {

    /**
     * Validates and compiles a configuration without starting anything ({@code -t}); returns the
     * check of the files a start would open, which {@code -t} runs after "syntax is ok".
     */
    Node.FileCheck check(ParsedConfig config) throws ConfigException;

    /** Starts a node; on failure nothing is left running. */
    RunningNode start(ParsedConfig config) throws ConfigException, IOException;

    /** The modules built in, for {@code -V}, e.g. {@code core}, {@code http}, {@code keyval}. */
    List<String> moduleNames();

    /** A started node, driven by signals. */
    interface RunningNode {
        /** Applies a new configuration; on failure throws and the old one keeps serving. */
        void reload(ParsedConfig config) throws ConfigException, IOException;

        /** Graceful stop; blocks until done. */
        void quit();

        /** Fast stop. */
        void stop();

        /** Reopens the node's own log files (access logs); the error logs are {@code ErrorLog}'s. */
        void reopenLogs();

        /** Blocks until the node has stopped. */
        void awaitTermination() throws InterruptedException;
    }
}
