package io.zonesync.keyval;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The keys of a keyval zone: an open-addressing hash table from a key to its {@link KeyvalRecord},
 * which holds the key itself, so a key costs one array reference and one int (its hash) in the
 * table and nothing else. Linear probing; a removal shifts the following keys of its run back
 * (no tombstone slots), so lookups never slow down with churn. Lookups allocate nothing for ASCII
 * keys. Not thread-safe, and not to be changed from inside {@link #forEach}.
 */
final class KeyvalTable {
    private static final int MIN_CAPACITY = 16;

    private byte[][] records;
    /** The mixed hash of the key in the same slot, so a probe compares bytes only when hashes match. */
    private int[] hashes;
    private int mask;
    private int size;

    KeyvalTable() {
        records = new byte[MIN_CAPACITY][];
        hashes = new int[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
    }

    int size() {
        return size;
    }

    /** Slots in the table (a power of two), for tests of growth. */
    int capacity() {
        return records.length;
    }

    /** The record of {@code key}, or null. */
    byte[] get(String key) {
        return get(key, KeyvalRecord.hash(key));
    }

    /** The same with the key's {@link KeyvalRecord#hash(String) hash} already computed. */
    byte[] get(String key, int hash) {
        int i = find(key, mix(hash));
        return i < 0 ? null : records[i];
    }

    /**
     * The record of a key given as its UTF-8 form and {@link KeyvalRecord#hash(byte[]) hash}, or null:
     * what a peer sends, looked up without a String.
     */
    byte[] get(byte[] keyUtf8, int hash) {
        int i = find(keyUtf8, mix(hash));
        return i < 0 ? null : records[i];
    }

    /** Stores {@code record} (whose key is {@code key}) in place of the key's old one, which it returns. */
    byte[] put(String key, byte[] record) {
        return put(key, KeyvalRecord.hash(key), record);
    }

    /** The same with the key's {@link KeyvalRecord#hash(String) hash} already computed. */
    byte[] put(String key, int hash, byte[] record) {
        int h = mix(hash);
        return store(find(key, h), h, record);
    }

    /** As {@link #put(String, byte[])} for a key given as its UTF-8 form and its hash. */
    byte[] put(byte[] keyUtf8, int hash, byte[] record) {
        int h = mix(hash);
        return store(find(keyUtf8, h), h, record);
    }

    /**
     * The slot holding {@code key}, of mixed hash {@code h}; if it is not there, {@code ~slot} of the
     * free slot its probe ended at.
     */
    private int find(String key, int h) {
        int i = h & mask;
        for (byte[] r; (r = records[i]) != null; i = (i + 1) & mask) {
            if (hashes[i] == h && KeyvalRecord.keyEquals(r, key)) {
                return i;
            }
        }
        return ~i;
    }

    /** {@link #find(String, int)} of a key given as its UTF-8 form. */
    private int find(byte[] keyUtf8, int h) {
        int i = h & mask;
        for (byte[] r; (r = records[i]) != null; i = (i + 1) & mask) {
            if (hashes[i] == h && KeyvalRecord.keyEquals(r, keyUtf8)) {
                return i;
            }
        }
        return ~i;
    }

    /**
     * Stores {@code record} where {@link #find} said its key is ({@code found >= 0}: replacing the
     * record there, which it returns) or would go ({@code ~found}: a new key); grows at 3/4 full.
     */
    private byte[] store(int found, int h, byte[] record) {
        if (found >= 0) {
            byte[] old = records[found];
            records[found] = record;
            return old;
        }
        int i = ~found;
        records[i] = record;
        hashes[i] = h;
        if (++size > records.length - (records.length >>> 2)) {
            grow();
        }
        return null;
    }

    /** Removes {@code key}; returns its record, or null if it was not there. */
    byte[] remove(String key) {
        int i = find(key, mix(KeyvalRecord.hash(key)));
        if (i < 0) {
            return null;
        }
        byte[] r = records[i];
        removeAt(i);
        return r;
    }

    /**
     * Removes every record {@code test} accepts, in one pass, handing each to {@code removed}
     * after it is out of the table.
     */
    void removeIf(Predicate<byte[]> test, Consumer<byte[]> removed) {
        // Start just after an empty slot: a shift moves keys back only within their run, never
        // across an empty slot, so every key is met exactly once.
        int start = 0;
        while (records[start] != null) {
            start++;
        }
        int i = (start + 1) & mask;
        for (int seen = 1; seen < records.length;) {
            byte[] r = records[i];
            if (r != null && test.test(r)) {
                removeAt(i); // a following key may have moved into i: look at i again
                removed.accept(r);
            } else {
                i = (i + 1) & mask;
                seen++;
            }
        }
    }

    /** Slots a whole-table walk takes at a time: a few cache lines of each array. */
    private static final int BLOCK = 64;

    /**
     * Hands out every record in blocks of {@link #BLOCK} slots, the blocks in an order scattered by
     * an odd stride. In slot order the keys would come sorted by the low bits of their hash, and a
     * table filled in that order (a peer's from a snapshot, this node's from a state file) would put
     * them in long runs while it is still smaller than this one and probe along those runs on every
     * insert: a 1M-record snapshot took 3.5 s to apply instead of 1.
     */
    void forEach(Consumer<byte[]> action) {
        int blocks = Math.max(1, records.length / BLOCK);
        int width = records.length / blocks;
        int stride = (int) (blocks * 0.6180339887) | 1; // odd: every block once, blocks being a power of two
        for (int b = 0, block = 0; b < blocks; b++, block = (block + stride) & (blocks - 1)) {
            for (int i = block * width, end = i + width; i < end; i++) {
                byte[] r = records[i];
                if (r != null) {
                    action.accept(r);
                }
            }
        }
    }

    /** Whether some record satisfies {@code test}. */
    boolean any(Predicate<byte[]> test) {
        for (byte[] r : records) {
            if (r != null && test.test(r)) {
                return true;
            }
        }
        return false;
    }

    /** The records satisfying {@code test}, in the order of {@link #forEach}, as a new array filled up to its length. */
    byte[][] select(Predicate<byte[]> test) {
        Selection s = new Selection(test == null ? size : Math.min(size, 16));
        forEach(r -> {
            if (test == null || test.test(r)) {
                s.add(r);
            }
        });
        return s.n == s.out.length ? s.out : Arrays.copyOf(s.out, s.n);
    }

    /** What {@link #select} has taken so far. */
    private static final class Selection {
        byte[][] out;
        int n;

        Selection(int capacity) {
            out = new byte[capacity][];
        }

        void add(byte[] r) {
            if (n == out.length) {
                out = Arrays.copyOf(out, Math.max(16, n * 2));
            }
            out[n++] = r;
        }
    }

    /** Empties slot {@code i}, shifting back the keys after it in its run that may sit closer to their home slot. */
    private void removeAt(int i) {
        int gap = i;
        for (int j = (i + 1) & mask; records[j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            if (((j - home) & mask) >= ((j - gap) & mask)) { // home is at or before the gap: j may fill it
                records[gap] = records[j];
                hashes[gap] = hashes[j];
                gap = j;
            }
        }
        records[gap] = null;
        hashes[gap] = 0;
        size--;
    }

    /** Doubles the table when it is three quarters full. */
    private void grow() {
        byte[][] oldRecords = records;
        int[] oldHashes = hashes;
        records = new byte[oldRecords.length * 2][];
        hashes = new int[records.length];
        mask = records.length - 1;
        for (int j = 0; j < oldRecords.length; j++) {
            if (oldRecords[j] != null) {
                int i = oldHashes[j] & mask;
                while (records[i] != null) {
                    i = (i + 1) & mask;
                }
                records[i] = oldRecords[j];
                hashes[i] = oldHashes[j];
            }
        }
    }

    /**
     * Folds a String-style hash's high bits into the low bits that pick a slot (as HashMap does).
     * Not a multiplicative scramble: keys that differ in their last characters (k00017, k00018;
     * 10.0.3.17, 10.0.3.18) keep nearby slots, so a run of such writes, and the sender reading
     * them back in the same order, touch a few cache lines of the table instead of one per key.
     */
    private static int mix(int h) {
        return h ^ (h >>> 16);
    }
}
