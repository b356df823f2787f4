package io.zonesync.http.gzip;

import java.util.ArrayDeque;
import java.util.zip.Deflater;

/**
 * Deflaters kept per thread and level for reuse (reset between bodies), as nginx keeps its zlib
 * memory per worker: an event loop compressing responses one after the other then makes none.
 * At most {@link #KEPT} per level and thread are kept; others are ended at once.
 */
final class DeflaterPool {
    static final int KEPT = 8;
    private static final ThreadLocal<ArrayDeque<Deflater>[]> POOLS = ThreadLocal.withInitial(DeflaterPool::pools);

    private DeflaterPool() {
    }

    @SuppressWarnings("unchecked")
    private static ArrayDeque<Deflater>[] pools() {
        ArrayDeque<Deflater>[] p = new ArrayDeque[10];
        for (int i = 0; i < p.length; i++) {
            p[i] = new ArrayDeque<>();
        }
        return p;
    }

    /** A raw (nowrap) Deflater at {@code level} (1 to 9), ready for a new body. */
    static Deflater take(int level) {
        Deflater d = POOLS.get()[level].poll();
        return d != null ? d : new Deflater(level, true);
    }

    /** Gives back a Deflater taken at {@code level}, whatever state its body left it in. */
    static void give(int level, Deflater d) {
        ArrayDeque<Deflater> pool = POOLS.get()[level];
        if (pool.size() < KEPT) {
            d.reset();
            pool.push(d);
        } else {
            d.end();
        }
    }
}
