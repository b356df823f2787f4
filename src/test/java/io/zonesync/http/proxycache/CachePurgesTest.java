package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.zonesync.testing.MutableClock;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import io.zonesync.zone.ZoneRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merge and expiry rules of a cache zone's synced purges: the newest stamp of a key wins,
 * whatever the order and however often records come; purges are remembered for the zone's
 * lifetime (a peer's ttl never longer); a peer's purge removes the entries stored up to its time
 * and keeps those stored after; malformed records change nothing.
 */
class CachePurgesTest {
    private static final long LIFETIME = 60_000;

    private final MutableClock clock = new MutableClock(1_000_000);
    private final List<CachePurges> opened = new ArrayList<>();

    /** Stamps from the fake clock, as the node's hybrid logical clock issues them when time moves. */
    private final StampSource stamps = new StampSource() {
        private long last;

        @Override
        public Stamp next() {
            last = Math.max(last + 1, Stamp.hlc(clock.millis(), 0));
            return new Stamp(last, 7);
        }

        @Override
        public void observe(Stamp remote) {
            last = Math.max(last, remote.hlc());
        }
    };

    private CachePurges purges(boolean sync) {
        return purges(sync, 1000);
    }

    private CachePurges purges(boolean sync, int max) {
        CachePurges p = new CachePurges("c", sync, LIFETIME, max, clock, stamps);
        opened.add(p);
        return p;
    }

    @AfterEach
    void close() {
        opened.forEach(CachePurges::close);
    }

    private static Stamp at(long millis, long node) {
        return new Stamp(Stamp.hlc(millis, 0), node);
    }

    private static ZoneRecord record(String key, Stamp stamp, long ttl) {
        return new ZoneRecord(key.getBytes(StandardCharsets.UTF_8), new byte[0], stamp, false, ttl);
    }

    @Test
    void aLocalPurgeIsStampedRememberedAndToldToPeers() {
        CachePurges p = purges(true);
        CachePurgeReplica replica = new CachePurgeReplica(p);
        List<String> told = new ArrayList<>();
        replica.setChangeListener((zone, key) -> told.add(key));
        p.local("/a");
        p.local("/p/*");
        assertThat(told).containsExactly("/a", "/p/*");
        ZoneRecord r = replica.export("/p/*");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("/p/*");
        assertThat(r.payload()).isEmpty();
        assertThat(r.tombstone()).isFalse();
        assertThat(r.ttlMs()).isEqualTo(LIFETIME);
        assertThat(r.stamp().millis()).isEqualTo(clock.millis());
        assertThat(replica.recordCount()).isEqualTo(2);
        List<ZoneRecord> snapshot = new ArrayList<>();
        replica.snapshot().forEachRemaining(snapshot::add);
        assertThat(snapshot).hasSize(2);
    }

    @Test
    void aZoneWithoutSyncRemembersNothing() {
        CachePurges p = purges(false);
        List<String> told = new ArrayList<>();
        new CachePurgeReplica(p).setChangeListener((zone, key) -> told.add(key));
        p.local("/a");
        assertThat(told).isEmpty();
        assertThat(p.size()).isZero();
    }

    @Test
    void theNewestStampWinsInAnyOrderAndDuplicatesChangeNothing() {
        Stamp older = at(999_000, 1);
        Stamp newer = at(999_500, 2);
        CachePurgeReplica one = new CachePurgeReplica(purges(true));
        CachePurgeReplica two = new CachePurgeReplica(purges(true));
        assertThat(one.applyRemote(record("/a", older, LIFETIME))).isTrue();
        assertThat(one.applyRemote(record("/a", newer, LIFETIME))).isTrue();
        assertThat(one.applyRemote(record("/a", older, LIFETIME))).isFalse();
        assertThat(one.applyRemote(record("/a", newer, LIFETIME))).isFalse();
        assertThat(two.applyRemote(record("/a", newer, LIFETIME))).isTrue();
        assertThat(two.applyRemote(record("/a", older, LIFETIME))).isFalse();
        assertThat(one.export("/a").stamp()).isEqualTo(newer).isEqualTo(two.export("/a").stamp());
        // the same time on another node is another purge: the node id breaks the tie
        assertThat(one.applyRemote(record("/a", at(999_500, 3), LIFETIME))).isTrue();
    }

    @Test
    void purgesAreForgottenAfterTheLifetimeAndAPeersTtlIsCappedByIt() {
        CachePurges p = purges(true);
        CachePurgeReplica replica = new CachePurgeReplica(p);
        p.local("/mine");
        replica.applyRemote(record("/long", at(999_000, 1), 10 * LIFETIME));
        replica.applyRemote(record("/short", at(999_000, 1), 1000));
        replica.applyRemote(record("/forever", at(999_000, 1), ZoneRecord.NO_EXPIRY));
        assertThat(replica.export("/long").ttlMs()).isEqualTo(LIFETIME);
        assertThat(replica.export("/forever").ttlMs()).isEqualTo(LIFETIME);
        clock.advance(1000);
        p.expire();
        assertThat(replica.export("/short")).isNull();
        assertThat(p.keys()).containsExactlyInAnyOrder("/mine", "/long", "/forever");
        assertThat(replica.export("/mine").ttlMs()).isEqualTo(LIFETIME - 1000);
        clock.advance(LIFETIME - 1000);
        assertThat(replica.export("/mine")).isNull();
        p.expire();
        assertThat(p.size()).isZero();
        // once forgotten, an old copy still in flight is a purge again, of entries stored up to its time
        assertThat(replica.applyRemote(record("/long", at(999_000, 1), 5))).isTrue();
    }

    @Test
    void beyondAsManyAsTheKeysZoneHoldsTheOldestPurgeIsForgotten() {
        CachePurges p = purges(true, 2);
        CachePurgeReplica replica = new CachePurgeReplica(p);
        p.local("/a");
        p.local("/b");
        p.local("/c");
        assertThat(p.keys()).containsExactly("/b", "/c");
        p.local("/b"); // purged again: the newest now
        replica.applyRemote(record("/d", at(999_000, 1), LIFETIME));
        assertThat(p.keys()).containsExactly("/b", "/d");
        p.limits(LIFETIME, 1);
        p.local("/e");
        assertThat(p.keys()).containsExactly("/e");
    }

    @Test
    void malformedRecordsAreIgnored() {
        CachePurges p = purges(true);
        CachePurgeReplica replica = new CachePurgeReplica(p);
        Stamp s = at(999_000, 1);
        assertThat(replica.applyRemote(new ZoneRecord("/a".getBytes(StandardCharsets.UTF_8), new byte[] {1}, s,
                false, LIFETIME))).isFalse();
        assertThat(replica.applyRemote(new ZoneRecord("/a".getBytes(StandardCharsets.UTF_8), new byte[0], s,
                true, LIFETIME))).isFalse();
        assertThat(replica.applyRemote(new ZoneRecord(new byte[] {(byte) 0xC3, 0x28}, new byte[0], s, false,
                LIFETIME))).isFalse();
        assertThat(replica.applyRemote(record("/a", s, 0))).isFalse();
        assertThat(p.size()).isZero();
    }

    /** Writes a cache entry for {@code key} whose metadata file says it was stored at {@code storedAt}. */
    private static Path entry(CacheZone cache, String key, long storedAt) throws Exception {
        Path body = file(cache, key, storedAt);
        cache.stored(CachePolicy.md5(key), Long.MAX_VALUE, 7, new ArrayList<>());
        return body;
    }

    /** The files of an entry the keys zone does not know yet (the loader has not reached it). */
    private static Path file(CacheZone cache, String key, long storedAt) throws Exception {
        String hash = CachePolicy.md5(key);
        Path body = cache.path().file(hash);
        Files.createDirectories(body.getParent());
        Files.writeString(body, "body of " + key);
        Path meta = Path.of(body + CacheMeta.SUFFIX);
        new CacheMeta(key, Long.MAX_VALUE, 200, 7, new DefaultHttpHeaders()).write(meta);
        Files.setLastModifiedTime(meta, FileTime.fromMillis(storedAt));
        return body;
    }

    @Test
    void whileTheLoaderRunsAWildcardFindsEntriesOnDiskNotLoadedYet(@TempDir Path dir) throws Exception {
        CachePurges p = purges(true);
        CacheZone cache = new CacheZone(new CachePath(dir, List.of(1, 2), "c", 1 << 20, 600_000, 0), clock);
        p.attach(cache);
        long purgeTime = 1_700_000_000_000L;
        Path unloaded = file(cache, "/w/1", purgeTime - 1);
        Path loaded = entry(cache, "/w/2", purgeTime - 1);
        Path later = file(cache, "/w/3", purgeTime + 1);
        cache.loading(true);
        new CachePurgeReplica(p).applyRemote(record("/w/*", at(purgeTime, 1), LIFETIME));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(unloaded) && !Files.exists(loaded));
        assertThat(later).exists();
        assertThat(cache.keys()).isEmpty();
    }

    @Test
    void aPeersPurgeRemovesWhatWasStoredBeforeItAndKeepsWhatCameAfter(@TempDir Path dir) throws Exception {
        CachePurges p = purges(true);
        CacheZone cache = new CacheZone(new CachePath(dir, List.of(1, 2), "c", 1 << 20, 600_000, 0), clock);
        p.attach(cache);
        long purgeTime = 1_700_000_000_000L;
        Path before = entry(cache, "/a", purgeTime - 5000);
        Path after = entry(cache, "/b", purgeTime + 5000);
        Path wildBefore = entry(cache, "/w/1", purgeTime - 1);
        Path wildAt = entry(cache, "/w/2", purgeTime);
        Path wildAfter = entry(cache, "/w/3", purgeTime + 1);
        Path other = entry(cache, "/x/1", purgeTime - 5000);
        CachePurgeReplica replica = new CachePurgeReplica(p);

        replica.applyRemote(record("/b", at(purgeTime, 1), LIFETIME));
        replica.applyRemote(record("/a", at(purgeTime, 1), LIFETIME));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(before));
        assertThat(Path.of(before + CacheMeta.SUFFIX)).doesNotExist();
        assertThat(after).exists(); // its purge ran first, on the same thread
        assertThat(cache.keys()).containsExactlyInAnyOrder(CachePolicy.md5("/b"), CachePolicy.md5("/w/1"),
                CachePolicy.md5("/w/2"), CachePolicy.md5("/w/3"), CachePolicy.md5("/x/1"));

        replica.applyRemote(record("/w/*", at(purgeTime, 1), LIFETIME));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(wildBefore) && !Files.exists(wildAt));
        assertThat(wildAfter).exists();
        assertThat(other).exists();

        // the same purge again (another peer's copy, a snapshot) does not touch what was stored since
        Path again = entry(cache, "/a", purgeTime - 10_000);
        assertThat(replica.applyRemote(record("/a", at(purgeTime, 1), LIFETIME))).isFalse();
        Path marker = entry(cache, "/zz", purgeTime - 1);
        replica.applyRemote(record("/zz", at(purgeTime, 1), LIFETIME)); // runs after any purge of "/a"
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(marker));
        assertThat(again).exists();
    }
}
