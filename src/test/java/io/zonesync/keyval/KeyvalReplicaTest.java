package io.zonesync.keyval;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.MutableClock;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class KeyvalReplicaTest {
    private static final long T0 = 1_767_225_600_000L;
    private final MutableClock clock = new MutableClock(T0);

    private KeyvalReplica replica(long timeoutMs, long node) {
        return new KeyvalReplica(new KeyvalZone("one", KeyvalZone.MIN_SIZE, KeyvalType.STRING, timeoutMs, true, clock,
                new TestStamps(clock, node)));
    }

    @Test
    void aWriteTravelsAsBytesWithItsStampAndRemainingLifetime() throws Exception {
        KeyvalReplica a = replica(60_000, 1);
        KeyvalReplica b = replica(60_000, 2);
        a.zone().set("k", "v");
        clock.advance(10_000);
        ZoneRecord r = a.export("k");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k");
        assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("v");
        assertThat(r.tombstone()).isFalse();
        assertThat(r.ttlMs()).isEqualTo(50_000);
        assertThat(b.applyRemote(r)).isTrue();
        assertThat(b.zone().get("k")).isEqualTo("v");
        assertThat(b.applyRemote(r)).as("the same write again changes nothing").isFalse();
        assertThat(b.recordCount()).isEqualTo(1);
    }

    @Test
    void aSnapshotCarriesEveryRecordWithItsLifetimeCountedWhenItIsSent() throws Exception {
        KeyvalReplica a = replica(60_000, 1);
        a.zone().set("x", "1");
        a.zone().set("y", "2");
        Iterator<ZoneRecord> snapshot = a.snapshot();
        a.zone().set("z", "3");
        clock.advance(20_000);
        List<ZoneRecord> sent = new ArrayList<>();
        snapshot.forEachRemaining(sent::add);
        assertThat(sent).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactlyInAnyOrder("x", "y");
        assertThat(sent).allSatisfy(r -> assertThat(r.ttlMs()).isEqualTo(40_000));
    }

    @Test
    void theChangesSinceAStampAreTheWritesAndDeletesStampedAboveIt() throws Exception {
        KeyvalReplica a = replica(60_000, 1);
        for (int i = 0; i < 40; i++) {
            a.zone().set("old" + i, "v");
        }
        long mark = a.export("old39").stamp().hlc();
        clock.advance(1000);
        a.zone().set("new", "v");
        a.zone().set("old3", "rewritten");
        a.zone().remove("old4");
        Iterator<ZoneRecord> delta = a.changedSince(mark);
        a.zone().set("after", "the copy");
        clock.advance(5000);
        List<ZoneRecord> sent = new ArrayList<>();
        delta.forEachRemaining(sent::add);
        assertThat(sent).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("new", "old3", "old4");
        assertThat(sent).filteredOn(ZoneRecord::tombstone).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("old4");
        assertThat(sent).filteredOn(r -> !r.tombstone()).allSatisfy(r -> assertThat(r.ttlMs()).isEqualTo(55_000));
        assertThat(a.changedSince(0)).toIterable().as("all 42 keys, the tombstone included").hasSize(42);
    }

    @Test
    void aWriteDuringAListenerSwapIsHeardByTheOldListenerOrTheNew() throws Exception {
        KeyvalReplica a = new KeyvalReplica(new KeyvalZone("one", 64L << 20, KeyvalType.STRING, 0, true, clock,
                new TestStamps(clock, 1)));
        Set<String> heard = ConcurrentHashMap.newKeySet();
        a.setChangeListener((z, key) -> heard.add(key));
        int writes = 20_000;
        Thread writer = new Thread(() -> {
            for (int i = 0; i < writes; i++) {
                try {
                    a.zone().set("k" + i, "v");
                } catch (KeyvalException e) {
                    throw new AssertionError(e);
                }
            }
        });
        writer.start();
        while (writer.isAlive()) { // what every reload does to every synced zone
            a.setChangeListener((z, key) -> heard.add(key));
        }
        writer.join();
        assertThat(heard).hasSize(writes);
    }

    @Test
    void aBatchOfKeysExportsAsEachKeyAloneWouldNothingForAKeyGoneOrExpired() throws Exception {
        KeyvalReplica a = replica(60_000, 1);
        a.zone().set(new KeyvalWrite("short", "1", 5_000));
        a.zone().set("live", "2");
        a.zone().set("deleted", "3");
        a.zone().remove("deleted");
        clock.advance(10_000);
        List<String> keys = Arrays.asList("pad", "short", "live", "deleted", "never");
        ZoneRecord[] out = new ZoneRecord[keys.size()];
        out[0] = a.export("live");
        a.exportAll(keys, 1, keys.size(), out);
        assertThat(out[0]).as("outside the range: untouched").isNotNull();
        assertThat(out[1]).as("expired").isNull();
        assertThat(out[2]).usingRecursiveComparison().isEqualTo(a.export("live"));
        assertThat(out[2].ttlMs()).isEqualTo(50_000);
        assertThat(out[3].tombstone()).isTrue();
        assertThat(out[4]).as("never written").isNull();
    }

    @Test
    void aPairWithoutExpiryTravelsWithoutOne() throws Exception {
        KeyvalReplica a = replica(0, 1);
        a.zone().set("k", "v");
        assertThat(a.export("k").expires()).isFalse();
    }

    @Test
    void aDeleteTravelsAsATombstoneAndBeatsTheOlderValue() throws Exception {
        KeyvalReplica a = replica(0, 1);
        KeyvalReplica b = replica(0, 2);
        a.zone().set("k", "v");
        b.applyRemote(a.export("k"));
        a.zone().remove("k");
        ZoneRecord tomb = a.export("k");
        assertThat(tomb.tombstone()).isTrue();
        assertThat(tomb.payload()).isEmpty();
        assertThat(tomb.expires()).as("a tombstone lives for a bounded time").isTrue();
        assertThat(b.applyRemote(tomb)).isTrue();
        assertThat(b.zone().get("k")).isNull();
        assertThat(b.recordCount()).isZero();
        assertThat(b.snapshot()).toIterable().singleElement()
                .satisfies(r -> assertThat(r.tombstone()).as("the snapshot carries the tombstone").isTrue());
    }

    @Test
    void localChangesReachTheListenerRemoteOnesDoNotAndAReplacedListenerIsSilent() throws Exception {
        KeyvalReplica a = replica(0, 1);
        KeyvalReplica b = replica(0, 2);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        b.setChangeListener((z, k) -> first.add(k));
        b.setChangeListener((z, k) -> second.add(k));
        a.zone().set("remote", "r");
        b.applyRemote(a.export("remote"));
        b.zone().set("local", "l");
        assertThat(first).isEmpty();
        assertThat(second).containsExactly("local");
    }

    @Test
    void aReceivedValueIsStoredAsAStringWouldHoldItAndSentOnAsStored() throws Exception {
        KeyvalReplica b = replica(0, 2);
        Stamp stamp = new Stamp(T0 << 16, 1);
        byte[] ascii = "plain".getBytes(StandardCharsets.UTF_8);
        byte[] utf8 = "caf\u00e9 \ud83d\ude00".getBytes(StandardCharsets.UTF_8);
        byte[] malformed = {'a', (byte) 0xC3, 'b', (byte) 0xFF};
        b.applyRemote(new ZoneRecord("a".getBytes(StandardCharsets.UTF_8), ascii, stamp, false, ZoneRecord.NO_EXPIRY));
        b.applyRemote(new ZoneRecord("u".getBytes(StandardCharsets.UTF_8), utf8, stamp, false, ZoneRecord.NO_EXPIRY));
        b.applyRemote(new ZoneRecord("m".getBytes(StandardCharsets.UTF_8), malformed, stamp, false,
                ZoneRecord.NO_EXPIRY));
        assertThat(b.zone().get("a")).isEqualTo("plain");
        assertThat(b.zone().get("u")).isEqualTo("caf\u00e9 \ud83d\ude00");
        assertThat(b.zone().get("m")).isEqualTo("a\ufffdb\ufffd");
        assertThat(b.export("u").payload()).isEqualTo(utf8);
        assertThat(b.export("m").payload()).as("malformed bytes are sent on as they were stored")
                .isEqualTo("a\ufffdb\ufffd".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aReceivedKeyIsTheKeyAStringWouldNameWhateverItsBytes() throws Exception {
        KeyvalReplica b = replica(0, 2);
        Stamp first = new Stamp(T0 << 16, 1);
        Stamp later = new Stamp((T0 + 1) << 16, 1);
        byte[] v = "v".getBytes(StandardCharsets.UTF_8);
        byte[] ascii = "plain".getBytes(StandardCharsets.UTF_8);
        byte[] utf8 = "caf\u00e9 \ud83d\ude00".getBytes(StandardCharsets.UTF_8);
        byte[] malformed = {'k', (byte) 0xC3, 'e', (byte) 0xFF};
        for (byte[] key : List.of(ascii, utf8, malformed)) {
            assertThat(b.applyRemote(new ZoneRecord(key, v, first, false, ZoneRecord.NO_EXPIRY))).isTrue();
        }
        assertThat(b.zone().get("plain")).isEqualTo("v");
        assertThat(b.zone().get("caf\u00e9 \ud83d\ude00")).isEqualTo("v");
        assertThat(b.zone().get("k\ufffde\ufffd")).isEqualTo("v");

        // the same keys written locally, then received again: one record each, the newest value
        b.zone().set("plain", "local");
        b.zone().set("k\ufffde\ufffd", "local");
        assertThat(b.recordCount()).isEqualTo(3);
        assertThat(b.applyRemote(new ZoneRecord(utf8, "w".getBytes(StandardCharsets.UTF_8), later, false,
                ZoneRecord.NO_EXPIRY))).isTrue();
        assertThat(b.applyRemote(new ZoneRecord(malformed, v, first, false, ZoneRecord.NO_EXPIRY)))
                .as("older than the local write to the key it decodes to").isFalse();
        assertThat(b.recordCount()).isEqualTo(3);
        assertThat(b.zone().get("caf\u00e9 \ud83d\ude00")).isEqualTo("w");
        assertThat(b.zone().get("k\ufffde\ufffd")).isEqualTo("local");
        assertThat(b.export("k\ufffde\ufffd").key()).isEqualTo("k\ufffde\ufffd".getBytes(StandardCharsets.UTF_8));
    }
}
