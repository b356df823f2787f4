package io.zonesync.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.net.Transport;
import io.zonesync.sync.clock.HybridLogicalClock;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.TcpProxy;
import io.zonesync.testing.TestCluster;
import io.zonesync.zone.ZoneType;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sync engine on real loopback sockets, several nodes in one JVM, zones as plain LWW maps. */
class SyncClusterIT {
    /** A node whose listener refuses every connection: its links are the ones it dials. */
    private static final String ONLY_DIALS = " deny all;\n";
    private Transport transport;
    private final List<AutoCloseable> closeMe = new ArrayList<>();
    private final LogCapture logs = new LogCapture();

    @BeforeEach
    void setUp() {
        transport = Transport.create(2, "test-sync");
        Awaitility.setDefaultTimeout(Duration.ofSeconds(20));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeMe) {
            c.close();
        }
        transport.shutdown();
        logs.close();
    }

    private <T extends AutoCloseable> T track(T c) {
        closeMe.add(c);
        return c;
    }

    /** N nodes, each listing every node including itself, as one shared configuration would. */
    private TestCluster<EngineNode> engines(int n, String extra) throws Exception {
        return track(TestCluster.start(n, (i, peers) -> EngineNode.conf(0, peers, extra),
                (i, conf) -> new EngineNode(transport, conf, "one").start()));
    }

    private List<EngineNode> cluster(int n, String extra) throws Exception {
        return engines(n, extra).nodes();
    }

    @Test
    void threeNodesSkipThemselvesConnectAndConvergeAfterWritesOnEach() throws Exception {
        List<EngineNode> nodes = cluster(3, "");
        await().until(() -> nodes.stream().allMatch(n -> n.online() == 2));
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 100; k++) {
                nodes.get(i).zone().put("n" + i + "-k" + k, "v" + k);
            }
        }
        nodes.get(0).zone().put("shared", "first");
        // "last" must be written after node 2 has seen "first": two writes on two nodes within the
        // same millisecond are ordered by their hybrid clocks' counters, not by the test's order,
        // and a write that did not see the other may lose to it (doc/protocol.md 6).
        await().until(() -> "first".equals(nodes.get(2).zone().get("shared")));
        nodes.get(2).zone().put("shared", "last");
        await().until(() -> nodes.stream().allMatch(n -> n.zone().live().size() == 301
                && "last".equals(n.zone().get("shared"))));
        assertThat(nodes.get(1).zone().live()).isEqualTo(nodes.get(0).zone().live());
        await().until(() -> nodes.stream().allMatch(n ->
                n.cluster.status().zones().get("one").recordsPending() == 0));
        ZoneSyncStatus s = nodes.get(0).cluster.status();
        assertThat(s.zones().get("one").recordsTotal()).isEqualTo(301);
        assertThat(s.msgsOut()).isPositive();
        assertThat(s.msgsIn()).isPositive();
        assertThat(s.bytesOut()).isPositive();
        assertThat(s.nodes()).hasSize(2).allMatch(n -> n.state().equals("live") || n.state().equals("snapshotting"));
    }

    /**
     * Nodes that listen on port 0 are known by the port the kernel gave them: their HELLO says it,
     * so once every list names the bound ports the links are accepted as listed (before, the HELLO
     * said port 0 and each node refused the others as unlisted).
     */
    @Test
    void nodesOnPortZeroAreKnownByTheirBoundPorts() throws Exception {
        EngineNode a = track(new EngineNode(transport, EngineNode.conf(0, List.of(), ""), "one")).start();
        EngineNode b = track(new EngineNode(transport, EngineNode.conf(0, List.of(), ""), "one")).start();
        List<Integer> both = List.of(a.syncPort(), b.syncPort());
        // b first: a dial from a to a b that lists nobody yet would be refused, and a would stop dialling
        b.reload(EngineNode.conf(0, both, ""));
        a.reload(EngineNode.conf(0, both, ONLY_DIALS)); // b cannot dial a: b knows a only by its HELLO
        await().until(() -> a.online() == 1 && b.online() == 1);
        a.zone().put("k", "1");
        await().until(() -> "1".equals(b.zone().get("k")));
    }

    @Test
    void aWriteJustAfterTheSnapshotCopyIsQueuedRatherThanLost() throws Exception {
        // Only A's dial gets through (A's listener denies everyone; B lists A, so it accepts A's
        // link): exactly one link, and one snapshot in each direction.
        TestCluster<EngineNode> c = track(TestCluster.open(2, (i, peers) -> EngineNode.conf(0, peers,
                i == 0 ? ONLY_DIALS : ""), (i, conf) -> new EngineNode(transport, conf, "one").start()));
        EngineNode a = c.node(0);
        EngineNode b = c.node(1);
        a.zone().put("before", "1");
        a.zone().afterNextSnapshotCopy(() -> a.zone().put("racing", "1"));
        c.link();
        await().until(() -> "1".equals(b.zone().get("before")));
        await().until(() -> "1".equals(b.zone().get("racing")));
    }

    @Test
    void diallingADeadPeerDoesNotPileUpLinks() throws Exception {
        HeldPort dead = track(new HeldPort());
        EngineNode a = track(new EngineNode(transport, EngineNode.conf(0, List.of(dead.port()), "")
                .replace("zone_sync_connect_retry_interval 100ms", "zone_sync_connect_retry_interval 10ms"), "one"))
                .start();
        await().until(() -> logs.contains("peer 127.0.0.1:" + dead.port() + " is down"));
        // about 80 dials in the next 800 ms: each failed one must be forgotten
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> a.cluster.allLinks().size() <= 1);
    }

    @Test
    void discoveredAddressesAreDialledAndAnAddressThatLeavesIsDroppedForGood() throws Exception {
        List<EngineNode> nodes = track(TestCluster.open(3, (i, peers) -> EngineNode.conf(0, List.of(), ""),
                (i, conf) -> new EngineNode(transport, conf, "one").start())).nodes();
        List<InetSocketAddress> all = new ArrayList<>();
        for (EngineNode n : nodes) {
            all.add(new InetSocketAddress("127.0.0.1", n.syncPort()));
        }
        for (EngineNode n : nodes) {
            n.cluster.discovered(all); // what DNS would say: every node, each node's own address included
        }
        await().until(() -> nodes.stream().allMatch(n -> n.online() == 2));
        nodes.get(2).zone().put("from-c", "1");
        await().until(() -> "1".equals(nodes.get(0).zone().get("from-c")));

        List<InetSocketAddress> withoutC = all.subList(0, 2);
        nodes.get(0).cluster.discovered(withoutC);
        nodes.get(1).cluster.discovered(withoutC);
        await().until(() -> nodes.get(0).online() == 1 && nodes.get(1).online() == 1 && nodes.get(2).online() == 0);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> nodes.get(2).online() == 0);
        nodes.get(0).zone().put("after", "1");
        await().until(() -> "1".equals(nodes.get(1).zone().get("after")));
        assertThat(nodes.get(2).zone().get("after")).isNull();
    }

    @Test
    void aDeleteDisappearsEverywhere() throws Exception {
        List<EngineNode> nodes = cluster(3, "");
        await().until(() -> nodes.stream().allMatch(n -> n.online() == 2));
        nodes.get(0).zone().put("gone", "soon");
        await().until(() -> nodes.stream().allMatch(n -> "soon".equals(n.zone().get("gone"))));
        nodes.get(1).zone().delete("gone");
        await().until(() -> nodes.stream().allMatch(n -> n.zone().get("gone") == null));
    }

    @Test
    void aRestartedNodeGetsEverythingBySnapshot() throws Exception {
        TestCluster<EngineNode> c = engines(3, "");
        List<EngineNode> nodes = c.nodes();
        await().until(() -> nodes.stream().allMatch(n -> n.online() == 2));
        nodes.get(2).close(); // as kill -9: no goodbye, no flush
        await().until(() -> nodes.get(0).online() == 1 && nodes.get(1).online() == 1);
        for (int k = 0; k < 500; k++) {
            nodes.get(k % 2).zone().put("k" + k, "v" + k);
        }
        EngineNode reborn = c.restart(2); // on a new port, and the others reloaded with it
        await().until(() -> reborn.zone().live().size() == 500);
        assertThat(reborn.zone().live().equals(nodes.get(0).zone().live())).isTrue();
        await().until(() -> reborn.online() == 2);
    }

    @Test
    void aPartitionHealsAndBothSidesConverge() throws Exception {
        String tuning = " zone_sync_timeout 600ms;\n";
        // each lists the other by a proxy configured from the start; the proxies learn where to go
        TcpProxy toB = track(new TcpProxy());
        TcpProxy toA = track(new TcpProxy());
        EngineNode a = track(new EngineNode(transport, EngineNode.conf(0, List.of(toB.port()), tuning), "one")).start();
        EngineNode b = track(new EngineNode(transport, EngineNode.conf(0, List.of(toA.port()), tuning), "one")).start();
        toB.to(new InetSocketAddress("127.0.0.1", b.syncPort()));
        toA.to(new InetSocketAddress("127.0.0.1", a.syncPort()));
        await().until(() -> a.online() == 1 && b.online() == 1);
        a.zone().put("before", "1");
        await().until(() -> "1".equals(b.zone().get("before")));

        toA.blackhole(true);
        toB.blackhole(true);
        await().until(() -> a.online() == 0 && b.online() == 0);
        a.zone().put("during-a", "a");
        b.zone().put("during-b", "b");
        a.zone().put("before", "2");

        toA.blackhole(false);
        toB.blackhole(false);
        toA.cutAll();
        toB.cutAll();
        await().until(() -> a.zone().live().equals(b.zone().live()) && a.zone().live().size() == 3);
        assertThat(b.zone().get("before")).isEqualTo("2");
        assertThat(a.zone().get("during-b")).isEqualTo("b");
    }

    @Test
    void quitRightAfterABurstLosesNothing() throws Exception {
        List<EngineNode> nodes = cluster(2, "");
        await().until(() -> nodes.stream().allMatch(n -> n.online() == 1));
        EngineNode a = nodes.get(0);
        for (int k = 0; k < 20_000; k++) {
            a.zone().put("burst" + k, "v" + k);
        }
        a.cluster.quit();
        assertThat(nodes.get(1).zone().live().size()).isEqualTo(20_000);
    }

    @Test
    void aZoneOfAnotherTypeOnAPeerIsNotSyncedWhileTheOthersAreAndTheClashIsLoggedOnce() throws Exception {
        HybridLogicalClock clockA = new HybridLogicalClock(7,
                System::currentTimeMillis, 3_600_000);
        HybridLogicalClock clockB = new HybridLogicalClock(9,
                System::currentTimeMillis, 3_600_000);
        // A dials B through the proxy and denies B's dials, so the one link can be cut and comes back.
        TcpProxy toB = track(new TcpProxy());
        EngineNode a = track(new EngineNode(transport, EngineNode.conf(0, List.of(toB.port()), ONLY_DIALS),
                List.of(new MapZone("shared", clockA), new MapZone("clash", new ZoneType("test-map", 1, 1), clockA),
                        new MapZone("kinds", new ZoneType("test-map", 1, 1), clockA)), 7));
        a.start();
        EngineNode b = track(new EngineNode(transport, EngineNode.conf(0, List.of(a.syncPort()), ""),
                List.of(new MapZone("shared", clockB), new MapZone("clash", new ZoneType("test-map", 1, 2), clockB),
                        new MapZone("kinds", new ZoneType("test-other", 2, 1), clockB)), 9)); // another kind of zone
        b.start();
        toB.to(new InetSocketAddress("127.0.0.1", b.syncPort()));
        await().until(() -> a.online() == 1 && b.online() == 1);
        a.zones.get(1).put("x", "not for b");
        a.zones.get(2).put("z", "not for b either");
        a.zones.get(0).put("y", "for b");
        await().until(() -> "for b".equals(b.zones.get(0).get("y")));
        assertThat(b.zones.get(1).get("x")).isNull();
        assertThat(b.zones.get(2).get("z")).isNull();
        assertThat(a.cluster.status().zones()).containsKeys("shared", "clash");
        assertThat(logs.lines()).anyMatch(l -> l.startsWith("error") && l.contains("zone \"clash\"")
                && l.contains("codec v1 here") && l.contains("codec v2 on") && l.contains("not synced"));
        // a type this node has no zone of is named by its tag: the engine knows no feature's name
        assertThat(logs.lines()).anyMatch(l -> l.startsWith("error") && l.contains("zone \"kinds\" is test-map codec v1"
                + " here but type 2 codec v1 on"));

        long dropped = logs.count("zone_sync: disconnected from");
        toB.cutAll();
        // The link is back within a retry interval, too soon to be seen down by polling.
        await().until(() -> logs.count("zone_sync: disconnected from") >= dropped + 2);
        await().until(() -> a.online() == 1 && b.online() == 1);
        a.zones.get(0).put("after", "reconnect");
        await().until(() -> "reconnect".equals(b.zones.get(0).get("after")));
        assertThat(logs.lines().stream().filter(l -> l.startsWith("error") && l.contains("zone \"clash\""))
                .count()).as("one line from each side, not one per connection").isEqualTo(2);
    }

    @Test
    void aRecordLargerThanOneBufferIsLoggedWithZoneAndKeyAndSkippedWhileTheRestSyncs() throws Exception {
        List<EngineNode> nodes = cluster(2, " zone_sync_buffers 4 1k;\n");
        await().until(() -> nodes.stream().allMatch(n -> n.online() == 1));
        nodes.get(0).zone().put("huge", "x".repeat(2000));
        nodes.get(0).zone().put("small", "fits");
        await().until(() -> "fits".equals(nodes.get(1).zone().get("small")));
        assertThat(nodes.get(1).zone().get("huge")).isNull();
        assertThat(logs.lines()).anyMatch(l -> l.startsWith("error") && l.contains("zone \"one\"")
                && l.contains("key \"huge\"") && l.contains("1024 bytes"));
    }

    @Test
    void anIdleLinkStaysUpOnHeartbeatsWhileASilentOneIsClosedAfterTheTimeout() throws Exception {
        String tuning = " zone_sync_timeout 300ms;\n";
        TcpProxy toB = track(new TcpProxy());
        EngineNode a = track(new EngineNode(transport, EngineNode.conf(0, List.of(toB.port()), tuning + ONLY_DIALS),
                "one")).start();
        EngineNode b = track(new EngineNode(transport, EngineNode.conf(0, List.of(a.syncPort()), tuning), "one"))
                .start();
        toB.to(new InetSocketAddress("127.0.0.1", b.syncPort()));
        await().until(() -> a.online() == 1 && b.online() == 1);
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3)).until(() -> a.online() == 1);
        toB.blackhole(true);
        await().atMost(Duration.ofSeconds(3)).until(() -> a.online() == 0 && b.online() == 0);
        assertThat(logs.lines()).anyMatch(l -> l.contains("nothing received") && l.contains("zone_sync_timeout"));
    }

    @Test
    void garbageOnTheSyncPortCostsOnlyThatConnection() throws Exception {
        List<EngineNode> nodes = cluster(2, " zone_sync_timeout 500ms;\n");
        await().until(() -> nodes.stream().allMatch(n -> n.online() == 1));
        int port = ((InetSocketAddress) nodes.get(0).cluster.boundAddresses().get(0)).getPort();
        for (byte[] garbage : List.of("GET / HTTP/1.1\r\n\r\n".getBytes(), new byte[] {0, 0, 0, 1, 1},
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 'Z', 'S', 'Y', 'N', 0, 1})) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(garbage);
                out.flush();
                InputStream in = s.getInputStream();
                // The node answers (its HELLO, maybe an ABORT) and then closes: read to the end.
                while (in.read() >= 0) {
                    // drain
                }
            }
        }
        nodes.get(0).zone().put("still", "serving");
        await().until(() -> "serving".equals(nodes.get(1).zone().get("still")));
        assertThat(nodes.get(0).online()).isEqualTo(1);
        Map<String, ZoneSyncStatus.ZoneCounts> zones = nodes.get(0).cluster.status().zones();
        assertThat(zones.get("one").recordsTotal()).isEqualTo(1);
    }
}
