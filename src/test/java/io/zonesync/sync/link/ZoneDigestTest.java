package io.zonesync.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.zone.Stamp;
import io.zonesync.zone.ZoneRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneDigestTest {
    private static final long CUTOFF = 1_767_225_600_000L;

    private static ZoneRecord record(String key, long millis, long node, boolean tombstone, long ttl) {
        return new ZoneRecord(key.getBytes(StandardCharsets.UTF_8), tombstone ? new byte[0] : "v".getBytes(),
                new Stamp(Stamp.hlc(millis, 3), node), tombstone, ttl);
    }

    private static ZoneRecord live(String key, long millis) {
        return record(key, millis, 7, false, ZoneRecord.NO_EXPIRY);
    }

    private static ZoneDigest digest(List<ZoneRecord> records) {
        ZoneDigest.Builder b = new ZoneDigest.Builder(CUTOFF, records.iterator());
        while (!b.step(3)) {
            // a chunk at a time, as on the event loop
        }
        return b.digest();
    }

    private static List<Integer> differing(ZoneDigest a, ZoneDigest b) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ZoneDigest.BUCKETS; i++) {
            if (a.bucket(i) != b.bucket(i)) {
                out.add(i);
            }
        }
        return out;
    }

    private static List<ZoneRecord> sample() {
        List<ZoneRecord> out = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            out.add(live("key-" + i, CUTOFF - 1000 - i));
        }
        return out;
    }

    @Test
    void theSameRecordsInAnyOrderGiveTheSameDigest() {
        List<ZoneRecord> shuffled = sample();
        Collections.shuffle(shuffled);
        assertThat(differing(digest(sample()), digest(shuffled))).isEmpty();
        assertThat(digest(sample()).summary()).isEqualTo(digest(shuffled).summary()).isNotZero();
    }

    @Test
    void aRecordThatDiffersChangesItsOwnBucketOnly() {
        List<ZoneRecord> other = sample();
        other.set(42, live("key-42", CUTOFF - 5));
        assertThat(differing(digest(sample()), digest(other)))
                .containsExactly(ZoneDigest.bucketOf("key-42".getBytes(StandardCharsets.UTF_8)));
        assertThat(digest(sample()).summary()).isNotEqualTo(digest(other).summary());

        List<ZoneRecord> missing = sample();
        missing.remove(7);
        assertThat(differing(digest(sample()), digest(missing)))
                .containsExactly(ZoneDigest.bucketOf("key-7".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTombstoneIsNotTheValueItDeleted() {
        ZoneRecord value = record("k", CUTOFF - 10, 7, false, ZoneRecord.NO_EXPIRY);
        ZoneRecord tombstone = record("k", CUTOFF - 10, 7, true, 60_000);
        assertThat(digest(List.of(value)).summary()).isNotEqualTo(digest(List.of(tombstone)).summary());
        assertThat(digest(List.of(tombstone)).summary()).isNotZero();
    }

    @Test
    void recordsNewerThanTheCutoffAndExpiredOnesAreLeftOut() {
        ZoneDigest empty = digest(List.of());
        assertThat(digest(List.of(live("new", CUTOFF + 1))).summary()).isEqualTo(empty.summary());
        assertThat(digest(List.of(record("gone", CUTOFF - 1, 7, false, 0))).summary()).isEqualTo(empty.summary());
        assertThat(digest(List.of(live("at", CUTOFF))).summary()).isNotEqualTo(empty.summary());
    }

    @Test
    void keysFallInTheBucketsTheProtocolNames() {
        // doc/protocol.md 11.5: two implementations must agree on every key's bucket.
        assertThat(ZoneDigest.hash(new byte[0])).isEqualTo(ZoneDigest.mix(0x2545F4914F6CDD1DL ^ 0xFF51AFD7ED558CCDL));
        assertThat(ZoneDigest.hash("abcdefghij".getBytes(StandardCharsets.UTF_8))).isEqualTo(
                ZoneDigest.mix(ZoneDigest.mix((0x2545F4914F6CDD1DL ^ 10) ^ 0x6162636465666768L) ^ 0x696AL
                        ^ 0xFF51AFD7ED558CCDL));
        assertThat(ZoneDigest.bucketOf("abcdefghij".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo((int) (ZoneDigest.hash("abcdefghij".getBytes(StandardCharsets.UTF_8)) >>> 52));
    }
}
