package io.zonesync.sync.cluster;

import io.zonesync.access.StreamAccessModule;
import io.zonesync.config.Block;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.Scope;
import io.zonesync.net.Transport;
import io.zonesync.stream.StreamCoreModule;
import io.zonesync.stream.StreamServerConf;
import io.zonesync.sync.clock.HybridLogicalClock;
import io.zonesync.testing.TestCluster;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** One node's sync engine with test zones, configured from the text of a stream block. */
final class EngineNode implements TestCluster.Member {
    final long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    final HybridLogicalClock clock = HybridLogicalClock.of(id, Clock.systemUTC());
    final SyncCluster cluster;
    final List<MapZone> zones;

    EngineNode(Transport transport, String streamBody, String... zoneNames) throws Exception {
        this.zones = Arrays.stream(zoneNames).map(n -> new MapZone(n, clock)).toList();
        this.cluster = new SyncCluster(settings(streamBody), id, clock, Clock.systemUTC(), transport);
        cluster.setZones(zones);
    }

    /** With the wall clock the engine reads (its logs' durations and summaries go by it). */
    EngineNode(Transport transport, String streamBody, Clock wall, String... zoneNames) throws Exception {
        this.zones = Arrays.stream(zoneNames).map(n -> new MapZone(n, clock)).toList();
        this.cluster = new SyncCluster(settings(streamBody), id, clock, wall, transport);
        cluster.setZones(zones);
    }

    EngineNode(Transport transport, String streamBody, List<MapZone> zones, long id) throws Exception {
        this.zones = zones;
        this.cluster = new SyncCluster(settings(streamBody), id, clock, Clock.systemUTC(), transport);
        cluster.setZones(zones);
    }

    static ZoneSyncSettings settings(String streamBody) throws Exception {
        Block root = ConfigParser.parseString("stream {\n" + streamBody + "\n}\n", "test.conf");
        DirectiveRegistry registry = new DirectiveRegistry();
        registry.registerAll(new StreamCoreModule(), new StreamAccessModule(), new ZoneSyncModule());
        registry.validate(root);
        Scope stream = Scope.root(root).child(Context.STREAM, root.first("stream").block());
        return ZoneSyncSettings.compile(StreamServerConf.compileAll(stream), ZoneSyncSettings.HostResolver.SYSTEM)
                .orElseThrow();
    }

    /** A stream block with a zone_sync server on 127.0.0.1:port listing these ports. */
    static String conf(int port, List<Integer> peers, String extra) {
        StringBuilder b = new StringBuilder("server {\n listen 127.0.0.1:" + port + ";\n zone_sync;\n"
                + " zone_sync_connect_retry_interval 100ms;\n");
        for (int p : peers) {
            b.append(" zone_sync_server 127.0.0.1:").append(p).append(";\n");
        }
        return b.append(extra).append("}\n").toString();
    }

    MapZone zone() {
        return zones.get(0);
    }

    EngineNode start() throws Exception {
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

    int online() {
        return cluster.status().nodesOnline();
    }

    @Override
    public void close() {
        cluster.stop();
    }
}
