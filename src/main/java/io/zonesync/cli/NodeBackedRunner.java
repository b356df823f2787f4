package io.zonesync.cli;

import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The command line's view of the real {@link Node}. */
public final class NodeBackedRunner implements NodeRunner {

    @Override
    public void check(ParsedConfig config) throws ConfigException {
        Node.check(config);
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

    @Override
    public List<String> moduleNames() {
        return namesOf(Node.modules());
    }

    /** {@code KeyvalModule} becomes {@code keyval}, {@code ZoneSyncModule} {@code zone_sync}. */
    static List<String> namesOf(List<? extends ConfModule> modules) {
        List<String> names = new ArrayList<>();
        for (ConfModule m : modules) {
            String simple = m.getClass().getSimpleName().replaceFirst("Module$", "");
            names.add(simple.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
