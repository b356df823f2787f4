package io.zonesync.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.TcpProxy;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Delta resync between real engines (doc/protocol.md 11.6): one link, through a proxy that cuts it,
 * carries on its return only what changed while it was down (writes and deletes on both sides),
 * read from the per-peer byte counters; a node restarted empty still gets the whole zone.
 */
class DeltaResyncIT {
    /** A dials B through the proxy; B's dials are refused, so the one link is the proxied one. */
    private static final String ONLY_DIALS = " deny all;\n";
    private static final String TUNING = " zone_sync_timeout 600ms;\n zone_sync_interval 200ms;\n";
    private static final int KEYS = 20_000;
    private static final String VALUE = "a value of forty bytes, as a real one..";

    @RegisterExtension
    final EngineFixture fx = new EngineFixture();

    /** The one online peer's {bytes sent, bytes received} on its current link. */
    private static long[] linkBytes(EngineNode n) {
        List<ZoneSyncStatus.NodeStatus> online = n.cluster.status().nodes().stream()
                .filter(s -> s.onlineSince() > 0).toList();
        assertThat(online).hasSize(1);
        return new long[] {online.get(0).bytesSent(), online.get(0).bytesReceived()};
    }

    private EngineNode nodeB(EngineNode a) throws Exception {
        return fx.track(new EngineNode(fx.transport, EngineNode.conf(0, List.of(a.syncPort()), TUNING), "one")).start();
    }

    /** A and B with KEYS records written on A and a tenth of that on B, linked and agreeing, each holding a mark. */
    private EngineNode[] linkedPair(TcpProxy toB) throws Exception {
        EngineNode a = fx.track(new EngineNode(fx.transport, EngineNode.conf(0, List.of(toB.port()), TUNING + ONLY_DIALS),
                "one")).start();
        EngineNode b = nodeB(a);
        for (int i = 0; i < KEYS; i++) {
            a.zone().put("a-" + i, VALUE);
        }
        for (int i = 0; i < KEYS / 10; i++) {
            b.zone().put("b-" + i, VALUE);
        }
        toB.to(new InetSocketAddress("127.0.0.1", b.syncPort()));
        await().until(() -> a.online() == 1 && b.online() == 1);
        await().until(() -> a.zone().live().equals(b.zone().live()) && a.zone().live().size() == KEYS + KEYS / 10);
        await().until(() -> fx.logs.count("marked zone \"one\"") >= 2); // each side holds the other's mark
        return new EngineNode[] {a, b};
    }

    @Test
    void aPeerCutOffGetsOnlyWhatChangedWhileItWasAwayWritesAndDeletesOfBothSides() throws Exception {
        TcpProxy toB = fx.track(new TcpProxy());
        EngineNode[] n = linkedPair(toB);
        EngineNode a = n[0];
        EngineNode b = n[1];
        long[] fullA = linkBytes(a);
        long[] fullB = linkBytes(b);
        assertThat(fullA[0]).as("A's snapshot to B").isGreaterThan(KEYS * 40L);

        toB.blackhole(true);
        toB.cutAll();
        await().until(() -> a.online() == 0 && b.online() == 0);
        for (int i = 0; i < 100; i++) {
            a.zone().put("a-new-" + i, "written on A while cut off");
            a.zone().put("a-" + i, "rewritten on A");
            b.zone().put("b-new-" + i, "written on B while cut off");
        }
        for (int i = 0; i < 50; i++) {
            a.zone().delete("a-" + (1000 + i));
            a.zone().delete("b-" + i);
            b.zone().delete("a-" + (2000 + i));
            b.zone().put("b-" + (100 + i), "rewritten on B");
        }
        Map<String, String> expected = new TreeMap<>(a.zone().live());
        for (int i = 0; i < 100; i++) {
            expected.put("b-new-" + i, "written on B while cut off");
        }
        for (int i = 0; i < 50; i++) {
            expected.remove("a-" + (2000 + i));
            expected.put("b-" + (100 + i), "rewritten on B");
        }

        toB.blackhole(false);
        await().until(() -> a.online() == 1 && b.online() == 1);
        await().until(() -> a.zone().live().equals(expected) && b.zone().live().equals(expected));
        assertThat(fx.logs.contains("sent the changes of zone \"one\"")).isTrue();
        long[] deltaA = linkBytes(a);
        long[] deltaB = linkBytes(b);
        // A owed 250 records of 22,000, B 200 (about 1%): far below the snapshots of the first link
        assertThat(deltaA[0]).as("A's resync to B").isGreaterThan(0).isLessThan(fullA[0] / 20);
        assertThat(deltaB[0]).as("B's resync to A").isGreaterThan(0).isLessThan(fullB[0] / 10);
        assertThat(deltaB[1]).isEqualTo(deltaA[0]);
    }

    @Test
    void aNodeRestartedEmptyGetsTheWholeZone() throws Exception {
        TcpProxy toB = fx.track(new TcpProxy());
        EngineNode[] n = linkedPair(toB);
        EngineNode a = n[0];
        long fullA = linkBytes(a)[0];

        fx.untrack(n[1]);
        n[1].close();
        await().until(() -> a.online() == 0);
        a.zone().put("while-b-was-down", "x");
        EngineNode reborn = nodeB(a);
        assertThat(reborn.zone().live()).isEmpty();
        toB.to(new InetSocketAddress("127.0.0.1", reborn.syncPort()));
        await().until(() -> a.online() == 1);
        await().until(() -> reborn.zone().live().equals(a.zone().live()));
        assertThat(reborn.zone().live()).hasSize(KEYS + KEYS / 10 + 1);
        assertThat(linkBytes(a)[0]).as("the whole zone again").isGreaterThanOrEqualTo(fullA);
    }
}
