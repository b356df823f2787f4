package io.zonesync.sync.link;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The keys of one zone changed by local writes, in the order they changed, kept once for every
 * link that syncs the zone; each link reads it through its own {@link Cursor}. An entry stays until
 * every cursor has passed it, so a burst of a million keys costs one entry per key however many
 * peers there are (a queue per link held one per key per peer: 31 copies in a 32-node cluster).
 *
 * <p>A key is sent once however often it changes before a link reaches it: a write to a key whose
 * entry no cursor has passed yet adds nothing, since the link reads the zone when it sends and so
 * sends the newest value. Once a cursor has passed that entry the next write appends the key again,
 * for that cursor; a cursor further back then meets the key twice and its link sends it twice.
 * Those extra entries stay few: when the log makes room, of two entries of a key with no cursor
 * between them only the earlier is kept. Entries never move, so a key that changes without pause
 * is still sent within one pass of the log, and times only grow along it: a cursor's next entry
 * is the change its link has owed longest.
 *
 * <p>Writers call {@link #append} after the zone holds the new value; a link reads the zone after
 * {@link Cursor#poll}, so a write racing with the send is either read by it or appended again:
 * nothing is lost. One lock, the log's, guards the entries and every cursor; each call holds it
 * for a few array accesses.
 *
 * <p>Layout: the keys, the times they were appended and the keys' hashes in parallel arrays (entries
 * {@code [start, end)}), and an open-addressing index from each key to its latest entry (linear
 * probing, deletion by backward shift), twice the arrays' length so at most half full: appending
 * allocates nothing, and an entry costs about 40 bytes beside the key, which the zone holds anyway.
 */
public final class ChangeLog<K> {
    /** Capacity below which a drained log keeps its arrays. */
    private static final int KEEP = 1024;

    private Object[] keys = new Object[16];
    private long[] times = new long[16];
    /** Each entry's key's {@link #hash}, so that trimming and rebuilding the index never reads a key. */
    private int[] hashes = new int[16];
    private int start;
    private int end;
    /** Key to the position of its latest entry, for the keys of {@code [start, end)}. */
    private Object[] indexKeys = new Object[32];
    private int[] indexPositions = new int[32];
    /** The {@link #hash} of the key in the same slot: a probe reads a key only when the hashes match. */
    private int[] indexHashes = new int[32];
    private final List<Cursor> cursors = new ArrayList<>();
    /** The furthest any cursor has read: an entry at or past it is unread by all. */
    private int frontier;

    /**
     * Logs a local change of {@code key} at {@code nowMillis}; false when nothing was added (no
     * link reads the log, or the key's entry is still ahead of every cursor).
     */
    public synchronized boolean append(K key, long nowMillis) {
        if (cursors.isEmpty()) {
            return false;
        }
        int h = hash(key);
        int slot = slot(key, h);
        if (indexKeys[slot] != null && indexPositions[slot] >= frontier) {
            return false;
        }
        if (end == keys.length) {
            makeRoom();
            slot = slot(key, h);
            if (indexKeys[slot] != null && indexPositions[slot] >= frontier) {
                return false;
            }
        }
        keys[end] = key;
        times[end] = nowMillis;
        hashes[end] = h;
        index(slot, key, h, end);
        end++;
        return true;
    }

    /** A new reader, at the end of the log: it sees every change appended from now on. */
    public synchronized Cursor follow() {
        Cursor c = new Cursor(end);
        cursors.add(c);
        frontier = end;
        return c;
    }

    /** Entries held, for all cursors together (a key appears more than once at most once per cursor). */
    public synchronized int size() {
        return end - start;
    }

    /** The slot of {@code key}, of hash {@code h}, in the index, or the empty slot where it would go. */
    private int slot(Object key, int h) {
        int mask = indexKeys.length - 1;
        int i = h & mask;
        for (Object o; (o = indexKeys[i]) != null; i = (i + 1) & mask) {
            if (indexHashes[i] == h && (o == key || o.equals(key))) {
                return i;
            }
        }
        return i;
    }

    private void index(int slot, Object key, int h, int position) {
        indexKeys[slot] = key;
        indexHashes[slot] = h;
        indexPositions[slot] = position;
    }

    /** A key's hash with its high bits folded into the low ones that pick a slot, as HashMap does. */
    private static int hash(Object key) {
        int h = key.hashCode();
        return h ^ (h >>> 16);
    }

    /** The furthest position any cursor has read to. */
    private int furthestCursor() {
        int furthest = 0;
        for (Cursor c : cursors) {
            furthest = Math.max(furthest, c.position);
        }
        return furthest;
    }

    /** Drops the entries every cursor has passed; a log all cursors have read is emptied. */
    private void trim() {
        int min = end;
        for (Cursor c : cursors) {
            min = Math.min(min, c.position);
        }
        int mask = indexKeys.length - 1;
        for (int p = start; p < min; p++) {
            // the key's slot, if its latest entry is this one: found by position, without reading the key
            for (int i = hashes[p] & mask; indexKeys[i] != null; i = (i + 1) & mask) {
                if (indexPositions[i] == p) {
                    unindex(i);
                    break;
                }
            }
            keys[p] = null;
        }
        start = min;
        if (start == end) {
            reset();
        }
    }

    /** Back to an empty log at position 0, every cursor with it; large arrays are let go. */
    private void reset() {
        if (keys.length > KEEP) {
            keys = new Object[16];
            times = new long[16];
            hashes = new int[16];
            indexKeys = new Object[32];
            indexPositions = new int[32];
            indexHashes = new int[32];
        }
        for (Cursor c : cursors) {
            c.position = 0;
            if (c.limit >= 0) {
                c.limit = 0;
            }
        }
        start = 0;
        end = 0;
        frontier = 0;
    }

    /** Removes the index entry at {@code slot}, shifting back the run after it so probes stay whole. */
    private void unindex(int slot) {
        int mask = indexKeys.length - 1;
        int hole = slot;
        for (int j = (slot + 1) & mask; indexKeys[j] != null; j = (j + 1) & mask) {
            int home = indexHashes[j] & mask;
            // the entry at j may move into the hole if its home is not in (hole, j], cyclically
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                index(hole, indexKeys[j], indexHashes[j], indexPositions[j]);
                hole = j;
            }
        }
        indexKeys[hole] = null;
    }

    /**
     * The arrays are full. When the live entries fill at most half of them they slide to the
     * front. Otherwise they are copied into arrays twice as long keeping, of two entries of a key
     * with no cursor between them, only the earlier (every cursor that will read the later reads
     * the earlier first, and sends the key's value as of then); if what is left fills at most half
     * of the old length, the arrays keep that length after all. Cursors and limits move with their
     * entries.
     */
    private void makeRoom() {
        int live = end - start;
        if (live * 2 <= keys.length) {
            slide(live);
            return;
        }
        int length = keys.length;
        Object[] k = new Object[length * 2];
        long[] t = new long[length * 2];
        int[] hs = new int[length * 2];
        indexKeys = new Object[length * 4];
        indexPositions = new int[length * 4];
        indexHashes = new int[length * 4];
        List<Cursor> byPosition = new ArrayList<>(cursors);
        byPosition.sort(Comparator.comparingInt(c -> c.position));
        List<Cursor> byLimit = new ArrayList<>();
        for (Cursor c : cursors) {
            if (c.limit >= 0) {
                byLimit.add(c);
            }
        }
        byLimit.sort(Comparator.comparingInt(c -> c.limit));
        int n = 0;
        int segment = 0; // where, in the new arrays, the entries after the last cursor passed begin
        int ci = 0;
        int li = 0;
        for (int p = start; p < end; p++) {
            for (; ci < byPosition.size() && byPosition.get(ci).position == p; ci++) {
                byPosition.get(ci).position = n;
                segment = n;
            }
            for (; li < byLimit.size() && byLimit.get(li).limit == p; li++) {
                byLimit.get(li).limit = n;
            }
            Object key = keys[p];
            int h = hashes[p];
            int slot = slot(key, h);
            if (indexKeys[slot] != null && indexPositions[slot] >= segment) {
                continue;
            }
            k[n] = key;
            t[n] = times[p];
            hs[n] = h;
            index(slot, key, h, n);
            n++;
        }
        for (; ci < byPosition.size(); ci++) {
            byPosition.get(ci).position = n;
        }
        for (; li < byLimit.size(); li++) {
            byLimit.get(li).limit = n;
        }
        keys = k;
        times = t;
        hashes = hs;
        start = 0;
        end = n;
        if (n * 2 <= length) { // mostly repeats: the arrays stay as long as they were
            keys = Arrays.copyOf(keys, length);
            times = Arrays.copyOf(times, length);
            hashes = Arrays.copyOf(hashes, length);
            Object[] oldKeys = indexKeys;
            int[] oldPositions = indexPositions;
            int[] oldHashes = indexHashes;
            indexKeys = new Object[length * 2];
            indexPositions = new int[length * 2];
            indexHashes = new int[length * 2];
            int mask = indexKeys.length - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != null) {
                    int slot = oldHashes[i] & mask; // keys are distinct here: the first empty slot
                    while (indexKeys[slot] != null) {
                        slot = (slot + 1) & mask;
                    }
                    index(slot, oldKeys[i], oldHashes[i], oldPositions[i]);
                }
            }
        }
        frontier = furthestCursor();
    }

    /**
     * Moves the live entries, which fill at most half the arrays, to their front: positions in
     * the index and of cursors and limits all drop by {@code start}, and nothing is rehashed.
     */
    private void slide(int live) {
        System.arraycopy(keys, start, keys, 0, live);
        System.arraycopy(times, start, times, 0, live);
        System.arraycopy(hashes, start, hashes, 0, live);
        Arrays.fill(keys, live, end, null);
        for (int i = 0; i < indexKeys.length; i++) {
            if (indexKeys[i] != null) {
                indexPositions[i] -= start;
            }
        }
        for (Cursor c : cursors) {
            c.position -= start;
            if (c.limit >= 0) {
                c.limit -= start;
            }
        }
        frontier -= start;
        end = live;
        start = 0;
    }

    /**
     * One link's place in the log: the changes it has still to send are the entries from here on
     * (up to its limit, once it has one). Polled by the link's event loop only.
     */
    public final class Cursor {
        private int position;
        /** Where reading stops (-1: no limit), set when the link is told to flush and quit. */
        private int limit = -1;
        private boolean closed;

        private Cursor(int position) {
            this.position = position;
        }

        /**
         * Up to {@code into.length} of the next keys this link owes, into {@code into}, with the times
         * they were appended into {@code times}, under one hold of the log's lock: the cursor moves
         * past them. Returns how many; 0 when the link owes none.
         */
        public int poll(K[] into, long[] times) {
            synchronized (ChangeLog.this) {
                int from = position;
                int n = Math.min(into.length, stop() - from);
                if (n <= 0) {
                    return 0;
                }
                System.arraycopy(keys, from, into, 0, n);
                System.arraycopy(ChangeLog.this.times, from, times, 0, n);
                position = from + n;
                frontier = Math.max(frontier, position);
                if (from == start) {
                    trim();
                }
                return n;
            }
        }

        /** When the oldest change this link still owes was appended, or {@link Long#MAX_VALUE}. */
        public long oldestAt() {
            synchronized (ChangeLog.this) {
                return position < stop() ? times[position] : Long.MAX_VALUE;
            }
        }

        /** Entries still to read. */
        public int backlog() {
            synchronized (ChangeLog.this) {
                return Math.max(0, stop() - position);
            }
        }

        /** Reads no further than the changes appended so far (the link flushes them and quits). */
        public void stopHere() {
            synchronized (ChangeLog.this) {
                if (!closed && limit < 0) {
                    limit = end;
                }
            }
        }

        /** The link is gone: its cursor no longer holds entries in the log. */
        public void close() {
            synchronized (ChangeLog.this) {
                if (closed) {
                    return;
                }
                closed = true;
                cursors.remove(this);
                if (cursors.isEmpty()) {
                    for (int p = start; p < end; p++) {
                        keys[p] = null;
                    }
                    Arrays.fill(indexKeys, null);
                    reset();
                    return;
                }
                frontier = furthestCursor();
                trim();
            }
        }

        private int stop() {
            return closed ? position : limit < 0 ? end : Math.min(limit, end);
        }
    }
}
