package io.zonesync.http.sticky;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.keyval.TestStamps;
import io.zonesync.testing.MutableClock;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions: create, refresh, re-bind, timeout, LRU eviction, and the replica's merge rule. */
class SessionZoneTest {
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final List<SessionKey> changes = new ArrayList<>();

    private SessionZone zone(long size, long timeout) {
        SessionZone z = new SessionZone("s", "backend", size, timeout, true, clock, new TestStamps(clock, 1));
        z.addListener(changes::add);
        return z;
    }

    @Test
    void createsOnlyInCreateModeRefreshesAndRebinds() {
        SessionZone z = zone(32 * 1024, 10_000);
        z.learn("abc", "sid1", false);
        assertThat(z.lookup("abc")).isNull();
        assertThat(changes).isEmpty();
        z.learn("abc", "sid1", true);
        assertThat(z.lookup("abc")).isEqualTo("sid1");
        clock.advance(9_000);
        z.learn("abc", "sid1", false); // refresh
        clock.advance(9_000);
        assertThat(z.lookup("abc")).isEqualTo("sid1");
        z.learn("abc", "sid2", false); // served elsewhere: re-bound
        assertThat(z.lookup("abc")).isEqualTo("sid2");
        assertThat(changes).hasSize(3).containsOnly(SessionKey.of("abc"));
        clock.advance(10_000);
        assertThat(z.lookup("abc")).isNull();
    }

    @Test
    void expiresSessionsIdleForTheTimeout() {
        SessionZone z = zone(32 * 1024, 1_000);
        z.learn("a", "x", true);
        clock.advance(500);
        z.learn("b", "x", true);
        clock.advance(500);
        z.expire();
        assertThat(z.size()).isEqualTo(1);
        assertThat(z.lookup("b")).isEqualTo("x");
    }

    @Test
    void fullZoneEvictsTheLeastRecentlyUsedSession() {
        SessionZone z = zone(32 * 1024, 600_000);
        int capacity = z.capacity();
        assertThat(capacity).isEqualTo((32 * 1024 - 4096) / 256);
        for (int i = 0; i < capacity; i++) {
            z.learn("s" + i, "x", true);
            clock.advance(1);
        }
        z.learn("s0", "x", false); // s0 used again: s1 is now the oldest
        clock.advance(1);
        z.learn("new", "y", true);
        assertThat(z.size()).isEqualTo(capacity);
        assertThat(z.lookup("s1")).isNull();
        assertThat(z.lookup("s0")).isEqualTo("x");
        assertThat(z.lookup("new")).isEqualTo("y");
    }

    @Test
    void replicaMergesBindingByLastWriterAndLastUseByMax() {
        MutableClock remoteClock = new MutableClock(clock.millis());
        SessionZone local = zone(64 * 1024, 60_000);
        SessionZone remote = new SessionZone("s", "backend", 64 * 1024, 60_000, true, remoteClock,
                new TestStamps(remoteClock, 2));
        StickyReplica localReplica = new StickyReplica(local);
        StickyReplica remoteReplica = new StickyReplica(remote);

        local.learn("u", "old", true);
        clock.advance(10);
        remoteClock.advance(10);
        remote.learn("u", "new", true); // a later binding on the other node
        ZoneRecord r = remoteReplica.export(SessionKey.of("u"));
        assertThat(r.key()).hasSize(16);
        assertThat(localReplica.applyRemote(r)).isTrue();
        assertThat(local.lookup("u")).isEqualTo("new");

        // the older binding coming back does not win, but its later use keeps the session alive
        clock.advance(50_000);
        remoteClock.advance(50_000);
        local.learn("u", "new", false);
        clock.advance(20_000);
        remoteClock.advance(20_000);
        ZoneRecord back = localReplica.export(SessionKey.of("u"));
        assertThat(remoteReplica.applyRemote(back)).isTrue();
        assertThat(remote.lookup("u")).isEqualTo("new");
        ZoneRecord stale = new ZoneRecord(back.key(), payload("old", 0), new Stamp(1, 9), false,
                60_000);
        assertThat(remoteReplica.applyRemote(stale)).isTrue(); // last use moves forward
        assertThat(remote.lookup("u")).isEqualTo("new");
    }

    @Test
    void replicaIgnoresMalformedRecords() {
        StickyReplica replica = new StickyReplica(zone(32 * 1024, 60_000));
        Stamp s = new Stamp(1, 1);
        assertThat(replica.applyRemote(new ZoneRecord(new byte[3], payload("x", 0), s, false, 100))).isFalse();
        assertThat(replica.applyRemote(new ZoneRecord(new byte[16], new byte[] {5, 1}, s, false, 100))).isFalse();
        assertThat(replica.applyRemote(new ZoneRecord(new byte[16], new byte[0], s, true, 100))).isFalse();
        assertThat(replica.applyRemote(new ZoneRecord(new byte[16], payload("x", 70_000), s, false, 100))).isFalse();
        assertThat(replica.recordCount()).isZero();
    }

    private static byte[] payload(String sid, int idle) {
        ByteBuffer b = ByteBuffer.allocate(1 + sid.length() + 4);
        b.put((byte) sid.length()).put(sid.getBytes(StandardCharsets.ISO_8859_1)).putInt(idle);
        return b.array();
    }
}
