package io.zonesync.zone;

/**
 * The version of a record for last-writer-wins: a hybrid logical clock value (wall-clock
 * milliseconds in the high 48 bits, a counter in the low 16) and the id of the node that wrote it
 * as the tie-break. Greater wins.
 */
public record Stamp(long hlc, long node) implements Comparable<Stamp> {
    public static final Stamp ZERO = new Stamp(0, 0);

    public static long hlc(long millis, int counter) {
        return (millis << 16) | (counter & 0xFFFF);
    }

    public long millis() {
        return hlc >>> 16;
    }

    public int counter() {
        return (int) (hlc & 0xFFFF);
    }

    public boolean isNewerThan(Stamp other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Stamp o) {
        int c = Long.compareUnsigned(hlc, o.hlc);
        return c != 0 ? c : Long.compareUnsigned(node, o.node);
    }
}
