package io.zonesync.keyval;

import io.zonesync.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.keyval.KeyvalException.Reason;
import io.zonesync.keyval.KeyvalTransfer.ApplyResult;
import io.zonesync.zone.Stamp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyvalZoneTest {
    private static final long T0 = 1_700_000_000_000L;
    private final MutableClock clock = new MutableClock(T0);
    private final TestStamps stamps = new TestStamps(clock, 1);

    private KeyvalZone zone(long size, long timeoutMs, boolean sync) {
        return new KeyvalZone("one", size, KeyvalType.STRING, timeoutMs, sync, clock, stamps);
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    @Test
    void insertGetUpdateRemoveClear() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, false);
        z.insert(KeyvalWrite.of("a", "1"));
        z.insert(KeyvalWrite.of("b", "2"));
        assertThat(z.get("a")).isEqualTo("1");
        assertThat(z.get("A")).as("case-sensitive").isNull();
        assertThatThrownBy(() -> z.insert(KeyvalWrite.of("a", "x")))
                .isInstanceOfSatisfying(KeyvalException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_EXISTS))
                .hasMessage("key \"a\" already exists");
        z.update("a", "one", 0);
        assertThat(z.get("a")).isEqualTo("one");
        assertThatThrownBy(() -> z.update("zz", "x", 0))
                .isInstanceOfSatisfying(KeyvalException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_FOUND));
        assertThat(z.remove("a")).isTrue();
        assertThat(z.remove("a")).isFalse();
        assertThat(z.pairs()).containsExactly(new KeyvalPair("b", "2", 0));
        z.clear();
        assertThat(z.isEmpty()).isTrue();
        assertThat(z.usedBytes()).isZero();
    }

    @Test
    void emptyKeyIsRefused() {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, false);
        assertThatThrownBy(() -> z.set("", "v")).hasMessage("key required");
    }

    @Test
    void costIsOverheadPlusUtf8Bytes() {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, false);
        assertThat(z.cost("ab", "é")).isEqualTo(KeyvalZone.ENTRY_OVERHEAD + 2 + 2);
        KeyvalZone ip = new KeyvalZone("ip", KeyvalZone.MIN_SIZE, KeyvalType.IP, 0, false, clock, stamps);
        assertThat(ip.cost("::1", "v")).isEqualTo(KeyvalZone.ENTRY_OVERHEAD + KeyvalZone.INDEX_OVERHEAD + 4);
    }

    @Test
    void fullZoneRefusesNewKeyAndKeepsWhatItHas() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, false);
        String value = repeat('v', 1000);
        int stored = 0;
        while (z.usedBytes() + z.cost("k" + (stored + 10), value) <= z.sizeBytes()) {
            z.set("k" + (stored + 10), value);
            stored++;
        }
        assertThat(stored).isEqualTo(30); // 30 x 1068 bytes in 32768
        long used = z.usedBytes();
        assertThatThrownBy(() -> z.insert(KeyvalWrite.of("new", value)))
                .isInstanceOfSatisfying(KeyvalException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ZONE_FULL))
                .hasMessage("zone \"one\" of 32768 bytes is full: key \"new\" needs 1067 bytes, " + (32768 - used)
                        + " bytes are free");
        assertThat(z.usedBytes()).isEqualTo(used);
        assertThat(z.pairs()).hasSize(30).allSatisfy(p -> assertThat(p.value()).isEqualTo(value));
        // growing an existing value beyond the budget fails too; shrinking works
        assertThatThrownBy(() -> z.update("k10", value + repeat('x', 2000), 0)).isInstanceOf(KeyvalException.class);
        assertThat(z.get("k10")).isEqualTo(value);
        z.update("k10", "small", 0);
        z.insert(KeyvalWrite.of("new", "fits now"));
    }

    @Test
    void singlePairLargerThanZoneIsRefused() {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, false);
        assertThatThrownBy(() -> z.set("big", repeat('x', 40_000)))
                .hasMessageContaining("key \"big\" needs 40067 bytes, 32768 bytes are free");
    }

    @Test
    void batchInsertIsAllOrNothing() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, false);
        List<KeyvalWrite> tooBig = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tooBig.add(KeyvalWrite.of("k" + i, repeat('v', 1000)));
        }
        assertThatThrownBy(() -> z.insertAll(tooBig))
                .isInstanceOfSatisfying(KeyvalException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ZONE_FULL))
                .hasMessageContaining("the pairs need");
        assertThat(z.isEmpty()).isTrue();
        assertThat(z.usedBytes()).isZero();

        z.insertAll(List.of(KeyvalWrite.of("a", "1"), KeyvalWrite.of("b", "2")));
        assertThatThrownBy(() -> z.insertAll(List.of(KeyvalWrite.of("c", "3"), KeyvalWrite.of("d", "4"))))
                .isInstanceOfSatisfying(KeyvalException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.ZONE_NOT_EMPTY));
        assertThat(z.pairs()).extracting(KeyvalPair::key).containsExactly("a", "b");
    }

    @Test
    void batchWithInvalidKeyChangesNothing() {
        KeyvalZone z = new KeyvalZone("ip", KeyvalZone.MIN_SIZE, KeyvalType.IP, 0, false, clock, stamps);
        assertThatThrownBy(() -> z.insertAll(List.of(KeyvalWrite.of("10.0.0.1", "a"), KeyvalWrite.of("nope", "b"))))
                .isInstanceOfSatisfying(KeyvalException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_KEY))
                .hasMessageContaining("invalid key format \"nope\" in zone \"ip\" of type=ip");
        assertThat(z.isEmpty()).isTrue();
    }

    @Test
    void timeoutCountsFromTheLastWrite() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 10_000, false);
        z.set("a", "1");
        clock.advance(6_000);
        z.update("a", "2", 0);
        clock.advance(6_000);
        assertThat(z.get("a")).isEqualTo("2");
        assertThat(z.pairs()).containsExactly(new KeyvalPair("a", "2", T0 + 16_000));
        clock.advance(4_000);
        assertThat(z.get("a")).as("invisible as soon as it expires").isNull();
        assertThat(z.usedBytes()).as("not yet reclaimed").isPositive();
        assertThat(z.expire()).isEqualTo(1);
        assertThat(z.usedBytes()).isZero();
    }

    @Test
    void perKeyExpireOverridesTimeout() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 10_000, false);
        z.insert(new KeyvalWrite("short", "v", 1_000));
        z.insert(new KeyvalWrite("long", "v", 60_000));
        clock.advance(1_000);
        assertThat(z.get("short")).isNull();
        clock.advance(20_000);
        assertThat(z.get("long")).isEqualTo("v");
        z.update("long", null, 500);
        assertThat(z.get("long")).as("value kept").isEqualTo("v");
        clock.advance(500);
        assertThat(z.get("long")).isNull();
    }

    @Test
    void expireNeedsATimeout() {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, false);
        assertThatThrownBy(() -> z.insert(new KeyvalWrite("a", "v", 1000)))
                .isInstanceOfSatisfying(KeyvalException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT_NOT_ENABLED))
                .hasMessageContaining("keyval timeout is not enabled");
    }

    @Test
    void expiredKeyCanBeInsertedAgain() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 1_000, false);
        z.insert(KeyvalWrite.of("a", "1"));
        clock.advance(1_000);
        z.insert(KeyvalWrite.of("a", "2"));
        assertThat(z.get("a")).isEqualTo("2");
    }

    @Test
    void fullZoneReclaimsExpiredPairsBeforeRefusing() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 1_000, false);
        for (int i = 0; i < 30; i++) {
            z.set("k" + i, repeat('v', 1000));
        }
        clock.advance(1_000);
        z.set("fresh", repeat('v', 1000));
        assertThat(z.pairs()).extracting(KeyvalPair::key).containsExactly("fresh");
    }

    @Test
    void listenerHearsLocalChangesOnly() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, true);
        List<String> local = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        z.addListener(new KeyvalListener() {
            @Override
            public void localChange(KeyvalZone zone, String key) {
                local.add(key);
            }

            @Override
            public void remoteChange(KeyvalZone zone, String key) {
                remote.add(key);
            }
        });
        z.insert(KeyvalWrite.of("a", "1"));
        z.set("b", "2");
        z.update("a", "3", 0);
        z.remove("b");
        z.transfer().applyRemote("r", "x", 0, new Stamp(Stamp.hlc(T0 + 5, 0), 2));
        z.clear();
        assertThat(local).hasSize(6);
        assertThat(local.subList(0, 4)).containsExactly("a", "b", "a", "b");
        assertThat(local.subList(4, 6)).as("clear, in the store's order").containsExactlyInAnyOrder("a", "r");
        assertThat(remote).containsExactly("r");
    }

    @Test
    void failedWriteNotifiesNobody() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, true);
        z.set("a", "1");
        List<String> local = new ArrayList<>();
        z.addListener((zone, key) -> local.add(key));
        assertThatThrownBy(() -> z.insert(KeyvalWrite.of("a", "2"))).isInstanceOf(KeyvalException.class);
        assertThat(local).isEmpty();
    }

    @Test
    void deleteInSyncZoneLeavesATombstoneThatExpires() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 30_000, true);
        z.set("a", "1");
        Stamp written = TestRecord.of(z, "a").stamp();
        clock.advance(10_000);
        z.remove("a");
        TestRecord tomb = TestRecord.of(z, "a");
        assertThat(tomb.isDelete()).isTrue();
        assertThat(tomb.stamp()).isGreaterThan(written);
        assertThat(tomb.ttlMs()).isEqualTo(30_000);
        assertThat(z.get("a")).isNull();
        assertThat(z.pairs()).isEmpty();
        assertThat(TestRecord.all(z)).containsExactly(tomb);
        assertThat(z.usedBytes()).isEqualTo(z.cost("a", null));
        clock.advance(30_000);
        assertThat(z.expire()).isEqualTo(1);
        assertThat(TestRecord.all(z)).isEmpty();
    }

    @Test
    void tombstoneOutlivesTheDeletedPairsOwnExpire() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 1_000, true);
        z.set(new KeyvalWrite("a", "1", 50_000));
        z.remove("a");
        assertThat(TestRecord.of(z, "a").ttlMs()).isEqualTo(50_000);
        KeyvalZone noTimeout = zone(KeyvalZone.MIN_SIZE, 0, true);
        noTimeout.set("a", "1");
        noTimeout.remove("a");
        assertThat(TestRecord.of(noTimeout, "a").ttlMs()).isEqualTo(KeyvalZone.DEFAULT_TOMBSTONE_TTL_MS);
    }

    @Test
    void aRemoteTombstoneLivesAsLongAsItsSenderAsksWhenThatIsLongerThanTheLocalTimeout() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 1_000, true);
        z.set("a", "1");
        z.transfer().applyRemote("a", null, 60_000, new Stamp(Long.MAX_VALUE / 2, 7)); // the sender's zone keeps keys a minute
        assertThat(TestRecord.of(z, "a").ttlMs()).isEqualTo(60_000);
        z.transfer().applyRemote("b", null, 10, new Stamp(Long.MAX_VALUE / 2, 7)); // shorter than ours: ours holds
        assertThat(TestRecord.of(z, "b").ttlMs()).isEqualTo(1_000);
    }

    @Test
    void deleteInPlainZoneLeavesNothing() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, false);
        z.set("a", "1");
        z.remove("a");
        assertThat(TestRecord.of(z, "a")).isNull();
        assertThat(z.usedBytes()).isZero();
    }

    @Test
    void tombstonesGiveWayWhenTheZoneIsFull() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, true);
        for (int i = 0; i < 30; i++) {
            z.set("k" + i, repeat('v', 1000));
        }
        z.remove("k0");
        z.remove("k1");
        long free = z.sizeBytes() - z.usedBytes();
        int fill = (int) (free + z.cost("k0", null) - z.cost("n0", ""));
        z.set("n0", repeat('v', fill));
        assertThat(z.usedBytes()).isEqualTo(z.sizeBytes());
        assertThat(TestRecord.of(z, "k0")).as("oldest tombstone dropped for room").isNull();
        assertThat(TestRecord.of(z, "k1").isDelete()).isTrue();
        assertThat(z.get("n0")).isNotNull();
    }

    @Test
    void applyRemoteIsLastWriterWins() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, true);
        z.set("a", "local");
        Stamp local = TestRecord.of(z, "a").stamp();
        Stamp older = new Stamp(local.hlc() - 1, 9);
        Stamp newer = new Stamp(local.hlc() + 1, 0);
        Stamp tie = new Stamp(local.hlc(), 0);
        assertThat(z.transfer().applyRemote("a", "old", 0, older)).isEqualTo(ApplyResult.STALE);
        assertThat(z.transfer().applyRemote("a", "tie", 0, tie)).as("node id breaks the tie").isEqualTo(ApplyResult.STALE);
        assertThat(z.get("a")).isEqualTo("local");
        assertThat(z.transfer().applyRemote("a", "new", 0, newer)).isEqualTo(ApplyResult.APPLIED);
        assertThat(z.get("a")).isEqualTo("new");
        assertThat(TestRecord.of(z, "a").stamp()).isEqualTo(newer);
        assertThat(stamps.observed).containsExactly(older, tie, newer);
        z.set("a", "after");
        assertThat(TestRecord.of(z, "a").stamp()).as("local writes after observing are newer").isGreaterThan(newer);
    }

    @Test
    void remoteDeleteBeatsOlderWritesAndLosesToNewerOnes() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, true);
        long base = Stamp.hlc(T0 + 1000, 0);
        assertThat(z.transfer().applyRemote("a", null, 0, new Stamp(base + 10, 2))).isEqualTo(ApplyResult.APPLIED);
        assertThat(TestRecord.of(z, "a").isDelete()).isTrue();
        assertThat(z.transfer().applyRemote("a", "stale", 0, new Stamp(base + 5, 3))).isEqualTo(ApplyResult.STALE);
        assertThat(z.get("a")).isNull();
        assertThat(z.transfer().applyRemote("a", "fresh", 0, new Stamp(base + 20, 3))).isEqualTo(ApplyResult.APPLIED);
        assertThat(z.get("a")).isEqualTo("fresh");
        z.remove("a");
        assertThat(z.transfer().applyRemote("a", "late", 0, new Stamp(base + 15, 9))).isEqualTo(ApplyResult.STALE);
    }

    @Test
    void remoteExpiryIsCappedAtTheLocalTimeout() {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 5_000, true);
        long base = Stamp.hlc(T0, 0);
        z.transfer().applyRemote("long", "v", 3_600_000, new Stamp(base + 1, 2));
        z.transfer().applyRemote("none", "v", 0, new Stamp(base + 2, 2));
        z.transfer().applyRemote("short", "v", 1_000, new Stamp(base + 3, 2));
        assertThat(TestRecord.of(z, "long").ttlMs()).isEqualTo(5_000);
        assertThat(TestRecord.of(z, "none").ttlMs()).isEqualTo(5_000);
        assertThat(TestRecord.of(z, "short").ttlMs()).isEqualTo(1_000);
        KeyvalZone unlimited = zone(KeyvalZone.MIN_SIZE, 0, true);
        unlimited.transfer().applyRemote("x", "v", 0, new Stamp(base + 4, 2));
        assertThat(TestRecord.of(unlimited, "x").ttlMs()).isZero();
    }

    @Test
    void remoteRecordsThatDoNotFitOrAreInvalidChangeNothing() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, true);
        z.set("a", "1");
        assertThat(z.transfer().applyRemote("big", repeat('x', 40_000), 0, new Stamp(Long.MAX_VALUE >>> 1, 2)))
                .isEqualTo(ApplyResult.NO_ROOM);
        assertThat(TestRecord.of(z, "big")).isNull();
        KeyvalZone ip = new KeyvalZone("ip", KeyvalZone.MIN_SIZE, KeyvalType.IP, 0, true, clock, stamps);
        assertThat(ip.transfer().applyRemote("not-an-ip", "v", 0, new Stamp(1, 2))).isEqualTo(ApplyResult.INVALID_KEY);
    }

    @Test
    void everyLocalWriteIsStamped() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, true);
        z.set("a", "1");
        Stamp first = TestRecord.of(z, "a").stamp();
        z.set("a", "2");
        assertThat(TestRecord.of(z, "a").stamp()).isGreaterThan(first);
        assertThat(first.node()).isEqualTo(1);
    }

    @Test
    void aSnapshotSendsTheRecordsAsTheyWereWhenItStartedWhileTheZoneChanges() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 0, true);
        for (int i = 0; i < 50; i++) {
            z.set("k" + i, "old");
        }
        java.util.Iterator<String> it = z.transfer().snapshot((r, now) -> KeyvalRecord.key(r) + "="
                + KeyvalRecord.value(r));
        List<String> sent = new ArrayList<>();
        sent.add(it.next());
        for (int i = 0; i < 50; i++) {
            if (i % 2 == 0) {
                z.remove("k" + i);
            } else {
                z.set("k" + i, "new");
            }
            z.set("more" + i, "new");
        }
        it.forEachRemaining(sent::add);
        assertThat(sent).hasSize(50).allSatisfy(s -> assertThat(s).endsWith("=old"));
        assertThat(z.pairCount()).isEqualTo(75);
        assertThat(TestRecord.all(z)).hasSize(100); // 25 tombstones, 25 changed, 50 new
    }

    @Test
    void zoneBelowTheMinimumCannotBeBuilt() {
        assertThatThrownBy(() -> zone(4096, 0, false)).hasMessageContaining("below the minimum of 32768 bytes");
    }

    @Test
    void aSyncZoneRefusesPairsLargerThanItsSyncRecordLimitAndOnlyThose() throws Exception {
        KeyvalZone z = zone(KeyvalZone.MIN_SIZE, 60_000, true);
        z.syncRecordLimit(100);
        z.insert(KeyvalWrite.of("key", repeat('x', 97)));
        assertThatThrownBy(() -> z.insert(KeyvalWrite.of("ké", repeat('x', 98))))
                .isInstanceOfSatisfying(KeyvalException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE_TO_SYNC))
                .hasMessage("key \"ké\" and its value take 101 bytes, more than the 100 bytes one sync record of"
                        + " zone \"one\" can carry; raise the size of zone_sync_buffers to store larger pairs");
        assertThatThrownBy(() -> z.update("key", repeat('x', 98), 0)).isInstanceOf(KeyvalException.class);
        assertThatThrownBy(() -> z.set("other", repeat('x', 200))).isInstanceOf(KeyvalException.class);
        assertThat(z.get("key")).hasSize(97);
        z.syncRecordLimit(50); // a reload made the buffers smaller: what is stored stays, and keeps its value
        z.update("key", null, 1_000);
        assertThat(z.get("key")).hasSize(97);

        KeyvalZone local = zone(KeyvalZone.MIN_SIZE, 0, false);
        local.syncRecordLimit(100);
        local.insert(KeyvalWrite.of("key", repeat('x', 5000)));
        assertThat(local.get("key")).hasSize(5000);
    }
}
