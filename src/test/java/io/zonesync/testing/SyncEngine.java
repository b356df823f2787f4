package io.zonesync.testing;

import io.zonesync.access.StreamAccessModule;
import io.zonesync.config.Block;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.Scope;
import io.zonesync.net.Transport;
import io.zonesync.stream.StreamCoreModule;
import io.zonesync.stream.StreamServerConf;
import io.zonesync.sync.cluster.SyncCluster;
import io.zonesync.sync.cluster.ZoneSyncModule;
import io.zonesync.sync.cluster.ZoneSyncSettings;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.StampSource;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;

/**
 * A zone_sync engine alone, without HTTP, replicating the zones a test gives it and configured
 * from the text of a stream block: a {@link TestCluster} member for tests of replication.
 */
public final class SyncEngine implements TestCluster.Member {
    public final SyncCluster cluster;
    private final List<? extends ReplicatedZone<?>> zones;

    public SyncEngine(Transport transport, String streamBody, long id, StampSource stamps, Clock wall,
            List<? extends ReplicatedZone<?>> zones) throws Exception {
        this.zones = List.copyOf(zones);
        this.cluster = new SyncCluster(settings(streamBody), id, stamps, wall, transport);
        cluster.setZones(this.zones);
    }

    /** The settings of a stream block's zone_sync server, validated as the node validates them. */
    public static ZoneSyncSettings settings(String streamBody) throws Exception {
        Block root = ConfigParser.parseString("stream {\n" + streamBody + "\n}\n", "test.conf");
        DirectiveRegistry registry = new DirectiveRegistry();
        registry.registerAll(new StreamCoreModule(), new StreamAccessModule(), new ZoneSyncModule());
        registry.validate(root);
        Scope stream = Scope.root(root).child(Context.STREAM, root.first("stream").block());
        return ZoneSyncSettings.compile(StreamServerConf.compileAll(stream), ZoneSyncSettings.HostResolver.SYSTEM)
                .orElseThrow();
    }

    /** A stream block with a zone_sync server on 127.0.0.1:port (0 for the kernel's choice) listing these ports. */
    public static String conf(int port, List<Integer> peers, String extra) {
        StringBuilder b = new StringBuilder("server {\n listen 127.0.0.1:" + port + ";\n zone_sync;\n"
                + " zone_sync_connect_retry_interval 100ms;\n");
        for (int p : peers) {
            b.append(" zone_sync_server 127.0.0.1:").append(p).append(";\n");
        }
        return b.append(extra).append("}\n").toString();
    }

    public SyncEngine start() throws Exception {
        cluster.start();
        return this;
    }

    /** The port the zone_sync listener is bound to (the kernel's choice for port 0). */
    @Override
    public int syncPort() {
        return ((InetSocketAddress) cluster.boundAddresses().get(0)).getPort();
    }

    /** Reloads the stream block, as a SIGHUP would. */
    @Override
    public void reload(String streamBody) throws Exception {
        cluster.reconfigure(settings(streamBody), zones);
    }

    public int online() {
        return cluster.status().nodesOnline();
    }

    @Override
    public void close() {
        cluster.stop();
    }
}
