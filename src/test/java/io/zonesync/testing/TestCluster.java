package io.zonesync.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The one fixture of multi-node tests: N nodes of one cluster on ports the kernel picks. Every
 * node starts listening on port 0 with no peers; once every bound port is known, each is reloaded
 * with the whole list, as an operator adds nodes to a running cluster. No port is chosen before
 * it is bound, so there is no free-port race. Closing the cluster closes every node.
 *
 * @param <N> the kind of node: a whole node ({@link InJvmNode}) or a sync engine alone
 */
public final class TestCluster<N extends TestCluster.Member> implements AutoCloseable {

    /** What the fixture needs of a node. */
    public interface Member extends AutoCloseable {
        /** The port its zone_sync listener is bound to. */
        int syncPort();

        /** Applies a new configuration, as SIGHUP does. */
        void reload(String config) throws Exception;

        @Override
        void close();
    }

    /** Node {@code index}'s configuration, listening on port 0, listing {@code peers} (empty at first). */
    @FunctionalInterface
    public interface Config {
        String of(int index, List<Integer> peers) throws Exception;
    }

    /** Starts node {@code index} on a configuration. */
    @FunctionalInterface
    public interface Starter<N> {
        N start(int index, String config) throws Exception;
    }

    private final List<N> nodes;
    private final Config config;
    private final Starter<N> starter;

    private TestCluster(List<N> nodes, Config config, Starter<N> starter) {
        this.nodes = nodes;
        this.config = config;
        this.starter = starter;
    }

    /** Starts the nodes and links them: every node is given every node's port. */
    public static <N extends Member> TestCluster<N> start(int count, Config config, Starter<N> starter)
            throws Exception {
        TestCluster<N> cluster = open(count, config, starter);
        try {
            cluster.link();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts the nodes, each knowing no peer yet, so a test can prepare them before {@link #link}. */
    public static <N extends Member> TestCluster<N> open(int count, Config config, Starter<N> starter)
            throws Exception {
        TestCluster<N> cluster = new TestCluster<>(new ArrayList<>(), config, starter);
        try {
            for (int i = 0; i < count; i++) {
                cluster.nodes.add(starter.start(i, config.of(i, List.of())));
            }
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Reloads every node with every node's port, the last node first. A node refuses a dial from
     * one it does not list, and the refused node stops dialling it; so of each pair, the node given
     * its list later is the one that dials. Node 0, configured last, dials every other: a test may
     * give it a listener that accepts no one ({@code deny all}).
     */
    public void link() throws Exception {
        List<Integer> ports = syncPorts();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            reload(i, ports);
        }
    }

    public N node(int index) {
        return nodes.get(index);
    }

    public List<N> nodes() {
        return List.copyOf(nodes);
    }

    public int size() {
        return nodes.size();
    }

    /** Every node's zone_sync port, in node order. */
    public List<Integer> syncPorts() {
        return nodes.stream().map(Member::syncPort).toList();
    }

    /** Reloads node {@code index} with its configuration for these peers. */
    public void reload(int index, List<Integer> peers) throws Exception {
        nodes.get(index).reload(config.of(index, peers));
    }

    /**
     * Starts node {@code index} anew (closing the old one if it still runs), on a new port, and
     * reloads every node with the new list: a node that died and came back.
     */
    public N restart(int index) throws Exception {
        nodes.get(index).close();
        nodes.set(index, starter.start(index, config.of(index, List.of())));
        link();
        return nodes.get(index);
    }

    @Override
    public void close() {
        for (N n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                // the others still close
            }
        }
    }
}
