package io.zonesync.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.TcpProxy;
import io.zonesync.testing.TestCluster;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node joining a cluster that holds a zone (doc/protocol.md 11.7), between real engines: one peer
 * teaches it the whole zone, the others send none of it, and the digests bring what only they
 * held; when the teacher stops mid-lesson, another peer teaches instead.
 */
class TeachingIT {
    private static final String TUNING = " zone_sync_interval 200ms;\n zone_sync_digest_interval 500ms;\n";
    private static final String ONLY_DIALS = " deny all;\n";
    private static final int KEYS = 20_000;
    private static final String VALUE = "a value of forty bytes, as a real one..";
    /** What a peer asked for none of the zone logs. */
    private static final String ANSWERED_NONE = "sent only the recent records of zone \"one\"";

    @RegisterExtension
    final EngineFixture fx = new EngineFixture();

    /**
     * {@code n} linked nodes holding KEYS records written a minute ago (older than any digest's
     * reach: on the first node, brought to the others by the digests) and 100 fresh ones written on
     * each of the others.
     */
    private TestCluster<EngineNode> cluster(int n) throws Exception {
        TestCluster<EngineNode> c = fx.track(TestCluster.start(n, (i, peers) -> EngineNode.conf(0, peers, TUNING),
                (i, conf) -> new EngineNode(fx.transport, conf, "one").start()));
        await().until(() -> c.nodes().stream().allMatch(x -> x.online() == n - 1));
        for (int i = 0; i < KEYS; i++) {
            c.node(0).zone().applyRemote(AntiEntropyIT.fromTheDeadNode("k-" + i, VALUE, 60_000));
        }
        for (int j = 1; j < n; j++) {
            for (int i = 0; i < 100; i++) {
                c.node(j).zone().put("n" + j + "-" + i, VALUE);
            }
        }
        int all = KEYS + 100 * (n - 1);
        await().until(() -> c.nodes().stream().allMatch(x -> x.zone().live().size() == all));
        return c;
    }

    /** Bytes received from each online peer, most first. */
    private static List<Long> bytesFromEachPeer(EngineNode n) {
        return n.cluster.status().nodes().stream().filter(s -> s.onlineSince() > 0)
                .map(ZoneSyncStatus.NodeStatus::bytesReceived).sorted(Comparator.reverseOrder()).toList();
    }

    @Test
    void aRestartedNodeIsTaughtByOnePeerTheOthersSendNoneAndTheDigestsBringTheRest() throws Exception {
        TestCluster<EngineNode> c = cluster(4);
        long noneBefore = fx.logs.count(ANSWERED_NONE);
        EngineNode d = c.restart(3);
        // a record no push will carry, on one old node only: the digests must bring it, whoever teaches
        c.node(2).zone().applyRemote(AntiEntropyIT.fromTheDeadNode("only-on-node-2", "v", 60_000));
        await().until(() -> d.online() == 3);
        await().untilAsserted(() -> assertThat(d.zone().live()).isEqualTo(c.node(2).zone().live())
                .containsKey("only-on-node-2").hasSize(KEYS + 300 + 1));

        List<Long> received = bytesFromEachPeer(d);
        assertThat(received.get(0)).as("the teacher's snapshot").isGreaterThan(KEYS * 40L);
        assertThat(received.get(1) + received.get(2)).as("the other two: live changes and repairs, not the zone")
                .isLessThan(received.get(0) / 10);
        assertThat(fx.logs.count(ANSWERED_NONE) - noneBefore).isGreaterThanOrEqualTo(2);
    }

    @Test
    void whenTheTeacherStopsMidLessonAnotherPeerTeachesAndTheOneThatSentNoneMarksOnceTheDigestsAgree()
            throws Exception {
        TestCluster<EngineNode> c = cluster(3);
        TcpProxy toFirst = fx.track(new TcpProxy(new InetSocketAddress("127.0.0.1", c.node(0).syncPort())));
        toFirst.truncateAnswers(16 * 1024); // its HELLO and RESUME pass, its snapshot stops part way
        // the joiner takes no dial; it dials the first node only, through the proxy, once that node lists it
        String joiner = " zone_sync_timeout 20s;\n" + TUNING + ONLY_DIALS;
        EngineNode d = fx.track(new EngineNode(fx.transport, EngineNode.conf(0, List.of(), joiner), "one")).start();
        List<Integer> withD = new ArrayList<>(c.syncPorts());
        withD.add(d.syncPort());
        c.node(0).reload(EngineNode.conf(0, withD, TUNING));
        d.reload(EngineNode.conf(0, List.of(toFirst.port()), joiner));
        await().until(() -> d.online() == 1);

        for (int i = 1; i < c.size(); i++) {
            c.node(i).reload(EngineNode.conf(0, withD, TUNING));
        }
        d.reload(EngineNode.conf(0, List.of(toFirst.port(), c.node(1).syncPort(), c.node(2).syncPort()), joiner));
        // the two answer the joiner's ask for none (and it answers theirs: they hold no mark of it)
        String toD = ANSWERED_NONE + " to 127.0.0.1:" + d.syncPort();
        await().until(() -> d.online() == 3 && fx.logs.count(toD) == 2);
        assertThat(d.zone().live()).as("taught part of the zone so far").hasSizeLessThan(KEYS);

        // each of the two has marked its link to the other old nodes already: counted from here,
        // a mark of theirs is one the joiner merged
        String[] peers = {"127.0.0.1:" + c.node(1).syncPort(), "127.0.0.1:" + c.node(2).syncPort()};
        long[] marksBefore = {fx.logs.count(peers[0] + " marked zone"), fx.logs.count(peers[1] + " marked zone")};

        toFirst.refuse(true);
        toFirst.cutAll();
        await().until(() -> fx.logs.contains("left before it was done: asking"));
        await().untilAsserted(() -> assertThat(d.zone().live()).isEqualTo(c.node(0).zone().live()));
        // one of the two now teaches (a whole snapshot, marked as any); the other sent its recent
        // records only, and marks only once its digest and the joiner's agree (a cutoff 5 s back)
        await().until(() -> fx.logs.count(peers[0] + " marked zone") > marksBefore[0]
                && fx.logs.count(peers[1] + " marked zone") > marksBefore[1]);
    }
}
