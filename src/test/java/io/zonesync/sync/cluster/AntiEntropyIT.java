package io.zonesync.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.net.Transport;
import io.zonesync.testing.TestCluster;
import io.zonesync.testing.LogCapture;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two linked engines whose zones differ in records no push will ever carry (merged on one side
 * as if from a node that died before it reached the other): the digests compared every
 * {@code zone_sync_digest_interval} find the difference and repair it (doc/protocol.md 11.5).
 */
class AntiEntropyIT {
    private static final long DEAD_NODE = 0xDEADL;
    private Transport transport;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final LogCapture logs = new LogCapture();

    @BeforeEach
    void setUp() {
        transport = Transport.create(2, "test-sync");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        transport.shutdown();
        logs.close();
    }

    private EngineNode[] pair(String digestInterval) throws Exception {
        String extra = " zone_sync_digest_interval " + digestInterval + ";\n";
        TestCluster<EngineNode> pair = TestCluster.start(2, (i, peers) -> EngineNode.conf(0, peers, extra),
                (i, conf) -> new EngineNode(transport, conf, "one").start());
        open.add(pair);
        EngineNode a = pair.node(0);
        EngineNode b = pair.node(1);
        await().until(() -> a.online() == 1 && b.online() == 1);
        return new EngineNode[] {a, b};
    }

    /** A record from a node that is gone, stamped a minute ago: older than any digest's cutoff. */
    static ZoneRecord fromTheDeadNode(String key, String value, long ageMs) {
        Stamp stamp = new Stamp(Stamp.hlc(System.currentTimeMillis() - ageMs, 0), DEAD_NODE);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return value == null ? new ZoneRecord(k, new byte[0], stamp, true, 600_000)
                : new ZoneRecord(k, value.getBytes(StandardCharsets.UTF_8), stamp, false, ZoneRecord.NO_EXPIRY);
    }

    @Test
    void recordsOnlyOneNodeHoldsReachTheOtherByDigests() throws Exception {
        EngineNode[] n = pair("200ms");
        for (int i = 0; i < 300; i++) {
            n[0].zone().applyRemote(fromTheDeadNode("only-on-a-" + i, "v" + i, 60_000));
        }
        n[1].zone().applyRemote(fromTheDeadNode("only-on-b", "b", 60_000));
        n[1].zone().applyRemote(fromTheDeadNode("deleted-on-a", "old", 70_000));
        n[0].zone().applyRemote(fromTheDeadNode("deleted-on-a", null, 60_000));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(n[1].zone().live()).hasSize(301).containsEntry("only-on-a-299", "v299")
                    .doesNotContainKey("deleted-on-a");
            assertThat(n[0].zone().live()).isEqualTo(n[1].zone().live());
        });
        assertThat(logs.contains("zone_sync: zone \"one\" differs from 127.0.0.1:")).isTrue();
    }

    @Test
    void nodesThatAgreeOnlyCompareSummaries() throws Exception {
        EngineNode[] n = pair("100ms");
        for (int i = 0; i < 200; i++) {
            ZoneRecord r = fromTheDeadNode("both-" + i, "v", 60_000);
            n[0].zone().applyRemote(r);
            n[1].zone().applyRemote(r);
        }
        n[0].zone().put("fresh", "newer than the cutoff, pushed as usual");
        await().until(() -> n[1].zone().get("fresh") != null);
        // a summary b sent before "fresh" reached it may still find a difference on a; after that, ten
        // rounds of summaries (100 ms apart) find none: at most that one line, where a digest that
        // never agreed would log one a round
        long before = logs.count("differs from");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> logs.count("differs from") <= before + 1);
    }

    @Test
    void withDigestsOffADifferenceStays() throws Exception {
        EngineNode[] n = pair("off");
        n[0].zone().applyRemote(fromTheDeadNode("only-on-a", "v", 60_000));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> n[1].zone().get("only-on-a") == null);
    }
}
