package io.zonesync.sync.proto;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The first frame each side sends: who it is, what it accepts, and which zones it syncs
 * (doc/protocol.md section 3).
 *
 * @param version         protocol version the sender speaks
 * @param nodeId          the sender's random, non-zero process id
 * @param wallClockMillis the sender's wall clock when it wrote the HELLO, ms since the epoch
 * @param maxFrameSize    the largest frame the sender accepts (its zone_sync_recv_buffer_size)
 * @param timeoutMillis   the sender's zone_sync_timeout
 * @param advertised      the sender's sync listen address as configured; may be empty
 * @param catalog         every zone the sender syncs, names unique
 * @param flags           what the sender understands beyond version 1's base ({@link Protocol#HELLO_FLAG_DIGESTS})
 */
public record Hello(int version, long nodeId, long wallClockMillis, long maxFrameSize, long timeoutMillis,
        String advertised, List<ZoneSignature> catalog, int flags) implements Message {

    public Hello {
        if (version < 0 || version > 0xFFFF) {
            throw new IllegalArgumentException("protocol version " + version + " is outside 0..65535");
        }
        if (nodeId == 0) {
            throw new IllegalArgumentException("node id 0 is reserved");
        }
        if (maxFrameSize < Protocol.MIN_FRAME_SIZE || maxFrameSize > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("maximum frame size " + maxFrameSize + " is outside "
                    + Protocol.MIN_FRAME_SIZE + ".." + 0xFFFF_FFFFL);
        }
        if (timeoutMillis < 1 || timeoutMillis > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("timeout " + timeoutMillis + " ms is outside 1.." + 0xFFFF_FFFFL);
        }
        Utf8.encode(advertised, "advertised address", 0, Protocol.MAX_ADVERTISED_BYTES);
        if (flags < 0 || flags > 0xFFFF) {
            throw new IllegalArgumentException("flags " + flags + " are outside 0..65535");
        }
        catalog = List.copyOf(catalog);
        if (catalog.size() > Protocol.MAX_CATALOG_ZONES) {
            throw new IllegalArgumentException("catalog of " + catalog.size() + " zones exceeds the limit "
                    + Protocol.MAX_CATALOG_ZONES);
        }
        Set<String> names = new HashSet<>();
        for (ZoneSignature z : catalog) {
            if (!names.add(z.name())) {
                throw new IllegalArgumentException("zone \"" + z.name() + "\" appears twice in the catalog");
            }
        }
    }

    /** A HELLO of this protocol version, announcing everything this implementation understands. */
    public static Hello of(long nodeId, long wallClockMillis, long maxFrameSize, long timeoutMillis,
            String advertised, List<ZoneSignature> catalog) {
        return new Hello(Protocol.VERSION, nodeId, wallClockMillis, maxFrameSize, timeoutMillis, advertised, catalog,
                Protocol.HELLO_FLAGS);
    }

    /** Whether the sender takes PING frames and answers them (doc/protocol.md 3.4). */
    public boolean takesPings() {
        return (flags & Protocol.HELLO_FLAG_PING) != 0;
    }

    /** Whether the sender takes MARK and RESUME frames and sends RESUMEs (doc/protocol.md 11.6). */
    public boolean takesDelta() {
        return (flags & Protocol.HELLO_FLAG_DELTA) != 0;
    }

    /** Whether the sender takes DIGEST frames (doc/protocol.md 11.5). */
    public boolean takesDigests() {
        return (flags & Protocol.HELLO_FLAG_DIGESTS) != 0;
    }

    @Override
    public MessageType type() {
        return MessageType.HELLO;
    }
}
