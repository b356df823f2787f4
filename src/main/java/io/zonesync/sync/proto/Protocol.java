package io.zonesync.sync.proto;

/** The fixed numbers of wire protocol version 1 (doc/protocol.md sections 2, 3 and 8). */
public final class Protocol {
    /** "ZSYN": the first field of every HELLO, so a stray client is told apart from a peer. */
    public static final int MAGIC = 0x5A53594E;
    public static final int VERSION = 1;

    /** Bytes of the length prefix; the frame length counts what follows it. */
    public static final int LENGTH_FIELD_BYTES = 4;
    /** Length prefix, type, magic and version: what a receiver checks before trusting a first frame. */
    public static final int HELLO_PREFIX_BYTES = 11;
    /** A HELLO may be this big whatever the receive buffer, so any catalog fits. */
    public static final int HELLO_MIN_LIMIT = 65_536;
    /** The smallest maximum frame size a node may announce or be built with. */
    public static final int MIN_FRAME_SIZE = 512;

    public static final int MAX_ZONE_NAME_BYTES = 255;
    public static final int MAX_ADVERTISED_BYTES = 255;
    public static final int MAX_CATALOG_ZONES = 4096;
    public static final int MAX_RECORDS_PER_BATCH = 8192;
    public static final int MAX_KEY_BYTES = 65_535;
    public static final int MAX_ABORT_TEXT_BYTES = 1024;

    /** flags, hlc, node, ttl, key length, payload length. */
    public static final int RECORD_OVERHEAD_BYTES = 1 + 8 + 8 + 4 + 2 + 4;

    /** Record flag: the record is a deletion; its payload is empty. */
    public static final int FLAG_TOMBSTONE = 0x01;
    public static final int KNOWN_FLAGS = FLAG_TOMBSTONE;

    /** HELLO flag: the sender takes DIGEST frames (anti-entropy, doc/protocol.md 11.5). */
    public static final int HELLO_FLAG_DIGESTS = 0x0001;
    /** HELLO flag: the sender takes PING frames and answers each with PONG (doc/protocol.md 3.4). */
    public static final int HELLO_FLAG_PING = 0x0002;
    /**
     * HELLO flag: the sender takes MARK and RESUME frames, and sends a RESUME for every zone synced on
     * the link before it expects that zone's snapshot (delta resync, doc/protocol.md 11.6).
     */
    public static final int HELLO_FLAG_DELTA = 0x0004;
    /** The flags this implementation sends. */
    public static final int HELLO_FLAGS = HELLO_FLAG_DIGESTS | HELLO_FLAG_PING | HELLO_FLAG_DELTA;
    /** A DIGEST splits a zone's keys into at most 2^16 buckets. */
    public static final int MAX_DIGEST_BUCKET_BITS = 16;

    /** A ttl of this value (in Java: {@link #NO_EXPIRY}) means the record does not expire. */
    public static final long WIRE_NO_EXPIRY = 0xFFFF_FFFFL;
    public static final long NO_EXPIRY = -1L;
    /** The longest lifetime the wire can say; longer ones are sent as this (about 49.7 days). */
    public static final long MAX_TTL_MILLIS = 0xFFFF_FFFEL;

    private Protocol() {
    }

    /** A remaining lifetime ready for a record: negative becomes 0 (expired), too long is capped. */
    public static long ttlOf(long remainingMillis) {
        return Math.max(0, Math.min(remainingMillis, MAX_TTL_MILLIS));
    }
}
