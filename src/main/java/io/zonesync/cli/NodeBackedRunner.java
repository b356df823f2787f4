package io.zonesync.cli;

import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;

/** The command line's view of the real {@link Node}. */
public final class NodeBackedRunner implements NodeRunner {

    @Override
    public Node.FileCheck check(ParsedConfig config) throws ConfigException {
        return Node.checkSyntax(config);
    }

    @Override
    public RunningNode start(ParsedConfig config) throws ConfigException, IOException {
        Node node = Node.start(config);
        return new RunningNode() {
            @Override
            public void reload(ParsedConfig next) throws ConfigException, IOException {
                node.reload(next);
            }

            @Override
            public void quit() {
                node.quit();
            }

            @Override
            public void stop() {
                node.stop();
            }

            @Override
            public void reopenLogs() {
                node.reopenLogs();
            }

            @Override
            public void awaitTermination() throws InterruptedException {
                node.awaitTermination();
            }
        };
    }

    /** The nginx modules zonesync implements, by nginx's names, sorted. */
    @Override
    public List<String> moduleNames() {
        TreeSet<String> names = new TreeSet<>();
        for (ConfModule m : Node.modules()) {
            names.addAll(m.nginxModules());
        }
        return List.copyOf(names);
    }
}
