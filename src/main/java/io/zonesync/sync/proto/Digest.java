package io.zonesync.sync.proto;

import java.util.Arrays;
import java.util.Objects;

/**
 * Part of one side's digest of a zone (doc/protocol.md 11.5): the zone's records stamped at or
 * before {@code cutoff} (hybrid logical clock milliseconds) split by key into {@code 2^bucketBits}
 * buckets, and the hashes of buckets {@code first} to {@code first + hashes.length - 1}. A digest of
 * one bucket ({@code bucketBits} 0) summarises the whole zone.
 */
public record Digest(ZoneSignature zone, long cutoff, int bucketBits, int first, long[] hashes) implements Message {
    /** cutoff, bucket bits, first bucket, hash count. */
    static final int FIXED_BYTES = 8 + 1 + 4 + 2;
    /** The most hashes one frame carries. */
    public static final int MAX_HASHES = 0xFFFF;

    public Digest {
        if (zone == null) {
            throw new IllegalArgumentException("digest zone is missing");
        }
        if (bucketBits < 0 || bucketBits > Protocol.MAX_DIGEST_BUCKET_BITS) {
            throw new IllegalArgumentException("digest bucket bits " + bucketBits + " are outside 0.."
                    + Protocol.MAX_DIGEST_BUCKET_BITS);
        }
        if (hashes.length < 1 || hashes.length > MAX_HASHES || first < 0
                || (long) first + hashes.length > (1L << bucketBits)) {
            throw new IllegalArgumentException("digest buckets " + first + " to " + (first + hashes.length - 1)
                    + " are outside 0.." + ((1L << bucketBits) - 1) + " or empty");
        }
    }

    /** Whether this digest summarises the whole zone in one hash. */
    public boolean summary() {
        return bucketBits == 0;
    }

    /** The most hashes that fit one frame of {@code frameBytes} for this zone. */
    public static int hashesPerFrame(ZoneSignature zone, int frameBytes) {
        int room = frameBytes - Protocol.LENGTH_FIELD_BYTES - 1 - FrameWriter.zoneSize(zone) - FIXED_BYTES;
        return Math.max(1, Math.min(MAX_HASHES, room / 8));
    }

    @Override
    public MessageType type() {
        return MessageType.DIGEST;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && zone.equals(d.zone) && cutoff == d.cutoff && bucketBits == d.bucketBits
                && first == d.first && Arrays.equals(hashes, d.hashes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(zone, cutoff, bucketBits, first, Arrays.hashCode(hashes));
    }

    @Override
    public String toString() {
        return "Digest[" + zone.name() + " cutoff " + cutoff + " buckets " + first + "+" + hashes.length + " of 2^"
                + bucketBits + "]";
    }
}
