package io.zonesync.keyval;

import io.zonesync.keyval.KeyvalException.Reason;
import io.zonesync.net.IpNetwork;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * One keyval zone: key-value pairs under a byte budget, with expiry, type-specific lookup and the
 * bookkeeping replication needs. Thread-safe (a read-write lock; lookups share it).
 *
 * <p><b>Budget.</b> Each stored key costs {@link #ENTRY_OVERHEAD} bytes, plus {@link #INDEX_OVERHEAD}
 * for {@code ip} and {@code prefix} zones (their extra index, as in NGINX Plus), plus the UTF-8
 * bytes of key and value. A write that does not fit is refused with {@link Reason#ZONE_FULL};
 * nothing stored is evicted. To make room a write may first reclaim entries that have already
 * expired and, failing that, tombstones (oldest first).
 *
 * <p><b>Expiry.</b> A pair expires {@code timeout} ms after its last write, or {@code expire} ms
 * after the write that gave it a per-key expire. Expired pairs are invisible at once; {@link #expire()}
 * reclaims their memory and should be called periodically (every second is plenty).
 *
 * <p><b>Replication.</b> Every local write carries a {@link Stamp} from the node's
 * {@link StampSource}. In a {@code sync} zone a delete leaves a tombstone (key, stamp, no value)
 * so the delete can replicate and beat older copies; a tombstone lives for the zone timeout (or
 * {@link #DEFAULT_TOMBSTONE_TTL_MS} without one), and at least as long as the deleted pair would
 * have, since a peer may hold a copy until then. a peer's record is merged by last
 * writer wins ({@link KeyvalTransfer}, which also exports entries for links and the state file).
 * Listeners hear about local changes (to push them) and remote ones (to save them).
 *
 * <p>Slightly over the usual length: the five local writes (insert, set, update, remove, clear)
 * share their checks, their room-making and their stamping under the one lock, so they stay together.
 */
public final class KeyvalZone {
    /** The smallest zone, as nginx's shared zones: 8 pages of 4 KiB. */
    public static final long MIN_SIZE = 8 * 4096;
    /** Fixed bytes each stored key costs: node, record, stamp and expiry bookkeeping. */
    public static final int ENTRY_OVERHEAD = 64;
    /** Extra bytes per key in {@code ip} and {@code prefix} zones for the match index. */
    public static final int INDEX_OVERHEAD = 32;
    /** How long a tombstone lives in a sync zone without a timeout: one hour. */
    public static final long DEFAULT_TOMBSTONE_TTL_MS = 3_600_000;

    private final String name;
    private final long size;
    private final KeyvalType type;
    private final long timeoutMs;
    private final boolean sync;
    private final Clock clock;
    private final StampSource stamps;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final KeyvalStore store;
    private final KeyvalTransfer transfer;
    private final List<KeyvalListener> listeners = new CopyOnWriteArrayList<>();
    private volatile KeyvalStateFile stateFile;
    private volatile long syncRecordLimit;

    public KeyvalZone(String name, long sizeBytes, KeyvalType type, long timeoutMs, boolean sync, Clock clock,
            StampSource stamps) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stamps = Objects.requireNonNull(stamps, "stamps");
        if (sizeBytes < MIN_SIZE) {
            throw new IllegalArgumentException("zone \"" + name + "\" size " + sizeBytes
                    + " is below the minimum of " + MIN_SIZE + " bytes");
        }
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("zone \"" + name + "\" timeout " + timeoutMs + " is negative");
        }
        this.size = sizeBytes;
        this.timeoutMs = timeoutMs;
        this.sync = sync;
        this.store = new KeyvalStore(sizeBytes, type, sync, tombstoneTtlMs());
        this.transfer = new KeyvalTransfer(this, store, lock, clock, stamps);
    }

    /** The zone's entries as replication and the state file move them. */
    public KeyvalTransfer transfer() {
        return transfer;
    }

    public String name() {
        return name;
    }

    public long sizeBytes() {
        return size;
    }

    public KeyvalType type() {
        return type;
    }

    /** The zone timeout in ms, 0 for none. */
    public long timeoutMs() {
        return timeoutMs;
    }

    public boolean isSync() {
        return sync;
    }

    /** How long a tombstone lives at least: the zone timeout, or {@link #DEFAULT_TOMBSTONE_TTL_MS} without one. */
    public long tombstoneTtlMs() {
        return timeoutMs > 0 ? timeoutMs : DEFAULT_TOMBSTONE_TTL_MS;
    }

    /**
     * Sets the most UTF-8 bytes key and value together may take so that one sync record carries
     * them (0: no limit). Only a {@code sync} zone enforces it; the node sets it from
     * {@code zone_sync_buffers} at start and at every reload. Pairs already stored are kept.
     */
    public void syncRecordLimit(long keyValueBytes) {
        this.syncRecordLimit = keyValueBytes;
    }

    /** Bytes of the budget in use, tombstones and not yet swept pairs included. */
    public long usedBytes() {
        return read(store::used);
    }

    /** What storing this pair costs in this zone's budget ({@code value} null: a tombstone). */
    public long cost(String key, String value) {
        return store.cost(key, value);
    }

    public void addListener(KeyvalListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeListener(KeyvalListener listener) {
        listeners.remove(listener);
    }

    // ---------------------------------------------------------------- reads

    /** The live value of exactly this key, or null. */
    public String get(String key) {
        return read(() -> {
            byte[] r = store.live(key, clock.millis());
            return r == null ? null : KeyvalRecord.value(r);
        });
    }

    /**
     * The value the {@code keyval} variable gets for this looked-up key: exact match for
     * {@code string}, longest containing network for {@code ip}, longest prefix for {@code prefix}.
     * Null when nothing matches.
     */
    public String lookup(String value) {
        return read(() -> {
            long now = clock.millis();
            String key = store.match(value, now);
            return key == null ? null : KeyvalRecord.value(store.entry(key));
        });
    }

    /** Every live pair, sorted by key. */
    public List<KeyvalPair> pairs() {
        List<KeyvalPair> out = read(() -> {
            long now = clock.millis();
            List<KeyvalPair> list = new ArrayList<>();
            store.forEach(r -> {
                if (KeyvalRecord.liveAt(r, now)) {
                    list.add(new KeyvalPair(KeyvalRecord.key(r), KeyvalRecord.value(r), KeyvalRecord.expireAt(r)));
                }
            });
            return list;
        });
        out.sort(Comparator.comparing(KeyvalPair::key));
        return out;
    }

    /** Whether the zone holds no live pair. */
    public boolean isEmpty() {
        return read(() -> !store.anyLive(clock.millis()));
    }

    // ---------------------------------------------------------------- local writes

    /** Adds a pair that must not exist yet ({@link Reason#KEY_EXISTS} otherwise). */
    public void insert(KeyvalWrite write) throws KeyvalException {
        insertAll(List.of(write));
    }

    /**
     * Adds pairs, all or none: every key must be new, and several pairs may only go into an empty
     * zone (the API's rule). A key given twice keeps its last value.
     */
    public void insertAll(List<KeyvalWrite> writes) throws KeyvalException {
        Map<String, KeyvalWrite> byKey = new LinkedHashMap<>();
        for (KeyvalWrite w : writes) {
            checkWrite(w.key(), w.expireMs());
            checkSyncable(w.key(), w.value());
            byKey.put(w.key(), w);
        }
        lock.writeLock().lock();
        try {
            long now = clock.millis();
            if (byKey.size() > 1 && store.anyLive(now)) {
                throw new KeyvalException(Reason.ZONE_NOT_EMPTY, null,
                        "zone \"" + name + "\" is not empty, only one key can be added");
            }
            long need = 0;
            long freed = 0;
            for (KeyvalWrite w : byKey.values()) {
                if (store.live(w.key(), now) != null) {
                    throw new KeyvalException(Reason.KEY_EXISTS, w.key(), "key \"" + w.key() + "\" already exists");
                }
                byte[] old = store.entry(w.key());
                need += store.cost(w.key(), w.value());
                freed += old == null ? 0 : store.cost(old);
            }
            ensureRoom(need - freed, need, byKey.size() == 1 ? byKey.keySet().iterator().next() : null, now);
            for (KeyvalWrite w : byKey.values()) {
                store.put(w.key(), w.value(), expireAt(now, w.expireMs()), stamps.next());
            }
        } finally {
            lock.writeLock().unlock();
        }
        byKey.keySet().forEach(this::notifyLocal);
    }

    /** Sets a pair whether or not it exists (variable assignment, tests). */
    public void set(KeyvalWrite write) throws KeyvalException {
        String key = write.key();
        String value = write.value();
        checkWrite(key, write.expireMs());
        // the text's lengths and the key's hash, worked out once, outside the lock
        int keyBytes = KeyvalRecord.utf8Length(key);
        int valueBytes = KeyvalRecord.utf8Length(value);
        checkSyncable(key, keyBytes + valueBytes);
        int hash = KeyvalRecord.hash(key, keyBytes);
        lock.writeLock().lock();
        try {
            long now = clock.millis();
            byte[] old = store.entry(key, hash);
            long need = store.cost(keyBytes, valueBytes);
            ensureRoom(need - (old == null ? 0 : store.cost(old)), need, key, now);
            store.put(key, hash, keyBytes, value, valueBytes, expireAt(now, write.expireMs()), stamps.next());
        } finally {
            lock.writeLock().unlock();
        }
        notifyLocal(key);
    }

    public void set(String key, String value) throws KeyvalException {
        set(KeyvalWrite.of(key, value));
    }

    /**
     * Changes an existing pair ({@link Reason#KEY_NOT_FOUND} otherwise): a new value (null keeps
     * the value) and a per-key expire in ms (0: the zone timeout counts again from now).
     */
    public void update(String key, String value, long expireMs) throws KeyvalException {
        checkWrite(key, expireMs);
        if (value != null) {
            checkSyncable(key, value);
        }
        lock.writeLock().lock();
        try {
            long now = clock.millis();
            byte[] old = store.live(key, now);
            if (old == null) {
                throw new KeyvalException(Reason.KEY_NOT_FOUND, key,
                        "key \"" + key + "\" not found in zone \"" + name + "\"");
            }
            String newValue = value == null ? KeyvalRecord.value(old) : value;
            long need = store.cost(key, newValue);
            ensureRoom(need - store.cost(old), need, key, now);
            store.put(key, newValue, expireAt(now, expireMs), stamps.next());
        } finally {
            lock.writeLock().unlock();
        }
        notifyLocal(key);
    }

    /** Removes a pair; true if a live one was there. In a sync zone it leaves a tombstone. */
    public boolean remove(String key) {
        lock.writeLock().lock();
        try {
            long now = clock.millis();
            byte[] old = store.live(key, now);
            if (old == null) {
                return false;
            }
            store.delete(key, old, stamps.next(), now, 0);
        } finally {
            lock.writeLock().unlock();
        }
        notifyLocal(key);
        return true;
    }

    /** Removes every pair (a tombstone for each in a sync zone). */
    public void clear() {
        List<String> removed = new ArrayList<>();
        lock.writeLock().lock();
        try {
            long now = clock.millis();
            for (byte[] r : store.select(r -> KeyvalRecord.liveAt(r, now))) {
                String key = KeyvalRecord.key(r);
                store.delete(key, r, stamps.next(), now, 0);
                removed.add(key);
            }
        } finally {
            lock.writeLock().unlock();
        }
        removed.forEach(this::notifyLocal);
    }

    /** Reclaims expired pairs and tombstones; returns how many were dropped. Listeners are not told. */
    public int expire() {
        lock.writeLock().lock();
        try {
            return store.purgeExpired(clock.millis());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Makes sure every change so far is in the zone's state file, if it has one (see
     * {@link KeyvalStateFile#persist()}: appended, so safe from a killed process, and forced to the
     * device by the next group commit); throws if it cannot be. The API calls this before it
     * answers a write with 2xx.
     */
    public void persist() throws IOException {
        KeyvalStateFile f = stateFile;
        if (f != null) {
            f.persist();
        }
    }

    /** The zone clock's current time in ms. */
    long now() {
        return clock.millis();
    }

    /** Whether the zone keeps a state file, so that a write to it may wait for the disk. */
    public boolean hasStateFile() {
        return stateFile != null;
    }

    void attachStateFile(KeyvalStateFile file) {
        this.stateFile = file;
    }

    /** Pairs held (tombstones not counted); an expired pair counts until the next sweep. */
    public long pairCount() {
        return read(store::pairs);
    }

    // ---------------------------------------------------------------- internals

    <T> T read(Supplier<T> reader) {
        lock.readLock().lock();
        try {
            return reader.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkWrite(String key, long expireMs) throws KeyvalException {
        if (!validKey(key)) {
            throw invalidKey(key);
        }
        if (expireMs < 0) {
            throw new KeyvalException(Reason.INVALID_EXPIRE, key, "invalid expire " + expireMs + " for key \""
                    + key + "\", it must be a positive number of milliseconds");
        }
        if (expireMs > 0 && timeoutMs == 0) {
            throw new KeyvalException(Reason.TIMEOUT_NOT_ENABLED, key,
                    "keyval timeout is not enabled in zone \"" + name + "\", expire cannot be set");
        }
    }

    private void checkSyncable(String key, String value) throws KeyvalException {
        if (sync && syncRecordLimit > 0) {
            checkSyncable(key, (long) KeyvalRecord.utf8Length(key) + KeyvalRecord.utf8Length(value));
        }
    }

    /** {@link #checkSyncable(String, String)} with the pair's UTF-8 length, key and value, already counted. */
    private void checkSyncable(String key, long bytes) throws KeyvalException {
        long limit = syncRecordLimit;
        if (!sync || limit <= 0) {
            return;
        }
        if (bytes > limit) {
            throw new KeyvalException(Reason.TOO_LARGE_TO_SYNC, key, "key \"" + key + "\" and its value take "
                    + bytes + " bytes, more than the " + limit + " bytes one sync record of zone \"" + name
                    + "\" can carry; raise the size of zone_sync_buffers to store larger pairs");
        }
    }

    boolean validKey(String key) {
        return !key.isEmpty() && (type != KeyvalType.IP || IpNetwork.parse(key) != null);
    }

    KeyvalException invalidKey(String key) {
        String why = key.isEmpty() ? "key required" : "invalid key format \"" + key + "\" in zone \"" + name
                + "\" of type=" + type.configName() + ", it must be an IPv4 or IPv6 address or CIDR network";
        return new KeyvalException(Reason.INVALID_KEY, key, why);
    }

    private long expireAt(long now, long expireMs) {
        long ttl = expireMs > 0 ? expireMs : timeoutMs;
        return ttl == 0 ? 0 : now + ttl;
    }

    private void ensureRoom(long delta, long need, String key, long now) throws KeyvalException {
        if (!store.makeRoom(delta, now)) {
            throw new KeyvalException(Reason.ZONE_FULL, key, "zone \"" + name + "\" of " + size + " bytes is full: "
                    + (key == null ? "the pairs need " : "key \"" + key + "\" needs ") + need + " bytes, "
                    + store.free() + " bytes are free");
        }
    }

    private void notifyLocal(String key) {
        for (KeyvalListener l : listeners) {
            l.localChange(this, key);
        }
    }

    void notifyRemote(String key) {
        for (KeyvalListener l : listeners) {
            l.remoteChange(this, key);
        }
    }

    @Override
    public String toString() {
        return "keyval zone \"" + name + "\" (" + size + " bytes, type=" + type.configName()
                + (timeoutMs > 0 ? ", timeout=" + timeoutMs + "ms" : "") + (sync ? ", sync" : "") + ")";
    }
}
