package io.zonesync.sync.link;

import io.zonesync.zone.ZoneRecord;
import java.util.Iterator;

/**
 * One node's digest of a zone (doc/protocol.md 11.5): its records stamped at or before a cutoff,
 * split by a hash of the key into {@link #BUCKETS} buckets, each bucket the sum of its records'
 * hashes (key, stamp, tombstone). Two nodes holding the same records below the cutoff have the same
 * digest; a bucket that differs names the keys to send again. Tombstones take part until they
 * expire; expired records do not.
 */
final class ZoneDigest {
    static final int BUCKET_BITS = 12;
    static final int BUCKETS = 1 << BUCKET_BITS;

    final long cutoff;
    private final long[] buckets = new long[BUCKETS];

    ZoneDigest(long cutoff) {
        this.cutoff = cutoff;
    }

    /** Counts a record in, unless it is newer than the cutoff or already expired. */
    void add(ZoneRecord r) {
        if (r.stamp().millis() > cutoff || (r.expires() && r.ttlMs() == 0)) {
            return;
        }
        long keyHash = hash(r.key());
        long h = keyHash ^ mix(r.stamp().hlc()) ^ mix(r.stamp().node() + 0x9E3779B97F4A7C15L);
        buckets[bucket(keyHash)] += mix(r.tombstone() ? ~h : h);
    }

    /** The hash of bucket {@code i}. */
    long bucket(int i) {
        return buckets[i];
    }

    /** The whole zone in one hash. */
    long summary() {
        long sum = 0;
        for (long b : buckets) {
            sum += b;
        }
        return sum;
    }

    /** The bucket a key falls in. */
    static int bucketOf(byte[] key) {
        return bucket(hash(key));
    }

    private static int bucket(long keyHash) {
        return (int) (keyHash >>> (64 - BUCKET_BITS));
    }

    /** A 64-bit hash of the key bytes, the same on every node (it decides buckets on the wire). */
    static long hash(byte[] key) {
        long h = 0x2545F4914F6CDD1DL ^ key.length;
        int i = 0;
        for (; i + 8 <= key.length; i += 8) {
            long v = 0;
            for (int j = 0; j < 8; j++) {
                v = (v << 8) | (key[i + j] & 0xFF);
            }
            h = mix(h ^ v);
        }
        long tail = 0;
        for (; i < key.length; i++) {
            tail = (tail << 8) | (key[i] & 0xFF);
        }
        return mix(h ^ tail ^ 0xFF51AFD7ED558CCDL);
    }

    /** MurmurHash3's 64-bit finaliser: every input bit moves every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    /** Builds a digest from a zone's snapshot a chunk at a time, so an event loop can interleave it with I/O. */
    static final class Builder {
        private final ZoneDigest digest;
        private final Iterator<ZoneRecord> records;

        Builder(long cutoff, Iterator<ZoneRecord> records) {
            this.digest = new ZoneDigest(cutoff);
            this.records = records;
        }

        /** Adds up to {@code n} records; true when the snapshot is exhausted. */
        boolean step(int n) {
            for (int i = 0; i < n && records.hasNext(); i++) {
                ZoneRecord r = records.next();
                if (r != null) {
                    digest.add(r);
                }
            }
            return !records.hasNext();
        }

        ZoneDigest digest() {
            return digest;
        }
    }
}
