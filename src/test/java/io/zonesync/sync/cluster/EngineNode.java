package io.zonesync.sync.cluster;

import io.zonesync.net.Transport;
import io.zonesync.sync.clock.HybridLogicalClock;
import io.zonesync.testing.SyncEngine;
import io.zonesync.testing.TestCluster;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** One node's sync engine with test zones ({@link MapZone}), configured from the text of a stream block. */
final class EngineNode implements TestCluster.Member {
    final long id;
    final HybridLogicalClock clock;
    final SyncCluster cluster;
    final List<MapZone> zones;
    private final SyncEngine engine;

    EngineNode(Transport transport, String streamBody, String... zoneNames) throws Exception {
        this(transport, streamBody, Clock.systemUTC(), zoneNames);
    }

    /** With the wall clock the engine reads (its logs' durations and summaries go by it). */
    EngineNode(Transport transport, String streamBody, Clock wall, String... zoneNames) throws Exception {
        this.id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        this.clock = HybridLogicalClock.of(id, Clock.systemUTC());
        this.zones = Arrays.stream(zoneNames).map(n -> new MapZone(n, clock)).toList();
        this.engine = new SyncEngine(transport, streamBody, id, clock, wall, zones);
        this.cluster = engine.cluster;
    }

    /** With zones made by the test on its own clock, and a node id to go with it. */
    EngineNode(Transport transport, String streamBody, List<MapZone> zones, long id) throws Exception {
        this.id = id;
        this.clock = HybridLogicalClock.of(id, Clock.systemUTC());
        this.zones = zones;
        this.engine = new SyncEngine(transport, streamBody, id, clock, Clock.systemUTC(), zones);
        this.cluster = engine.cluster;
    }

    /** A stream block with a zone_sync server on 127.0.0.1:port listing these ports. */
    static String conf(int port, List<Integer> peers, String extra) {
        return SyncEngine.conf(port, peers, extra);
    }

    MapZone zone() {
        return zones.get(0);
    }

    EngineNode start() throws Exception {
        engine.start();
        return this;
    }

    @Override
    public int syncPort() {
        return engine.syncPort();
    }

    @Override
    public void reload(String streamBody) throws Exception {
        engine.reload(streamBody);
    }

    int online() {
        return engine.online();
    }

    @Override
    public void close() {
        engine.close();
    }
}
