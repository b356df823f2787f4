package io.zonesync.zone;

import java.util.Iterator;
import java.util.List;

/**
 * A zone as the sync engine sees it. Feature packages (keyval, sticky, limit_req) adapt their zones
 * to this; the engine never looks inside a record. {@code K} is the zone's own key object, which the
 * engine keeps in the zone's log of changes (so it must have value equality).
 *
 * <p>Threading: every method may be called from any thread.
 */
public interface ReplicatedZone<K> {

    String name();

    ZoneType type();

    /** Live records (tombstones excluded), for {@code records_total}. */
    long recordCount();

    /**
     * The zone's records as of now, tombstones included, for a snapshot: the zone takes its copy
     * when called (cheaply: references, not encoded records) and encodes each record as the
     * iterator reaches it, so its remaining lifetime is counted from when it is sent.
     */
    Iterator<ZoneRecord> snapshot();

    /**
     * The current state of {@code key} as a record to send, or null when there is nothing to send
     * (the key is gone and left no tombstone, or it expired).
     */
    ZoneRecord export(K key);

    /**
     * {@link #export} of each of {@code keys} from {@code from} to {@code to} (exclusive), into the
     * same places of {@code out}. A zone whose reads take a lock takes it once for them all: a link
     * sends its owed keys a batch at a time, while writers on other threads hold the same lock.
     */
    default void exportAll(List<K> keys, int from, int to, ZoneRecord[] out) {
        for (int i = from; i < to; i++) {
            out[i] = export(keys.get(i));
        }
    }

    /** Merges a record received from a peer; true if local state changed. Never notifies the listener. */
    boolean applyRemote(ZoneRecord record);

    /**
     * Whether two nodes holding the same state of a key hold the same stamp for it, so that the
     * zone can be compared by digests (anti-entropy, doc/protocol.md 11.5). A zone whose records are
     * stamped when they are sent (limit_req's running counts) says false and takes no part.
     */
    default boolean reconciled() {
        return true;
    }

    /**
     * Whether every change a peer must learn of gives the record a new stamp, so that the records
     * stamped above a mark are all that changed since it (delta resync, doc/protocol.md 11.6). A zone
     * that changes records without a new stamp (a sticky session's last use) says false and is sent
     * whole to a reconnecting peer.
     */
    default boolean stampsEveryChange() {
        return reconciled();
    }

    /**
     * The records of a {@link #snapshot} whose stamp's hlc is above {@code hlc} (unsigned), for a
     * peer that holds everything up to it (doc/protocol.md 11.6). A zone that can test a stamp
     * before it encodes the record does so.
     */
    default Iterator<ZoneRecord> changedSince(long hlc) {
        return new ExportingIterator<>(snapshot(),
                r -> r != null && Long.compareUnsigned(r.stamp().hlc(), hlc) > 0 ? r : null);
    }

    /** Called with every key changed by a LOCAL write (an API call, a request), never by applyRemote. */
    void setChangeListener(ChangeListener<K> listener);

    /** Receives the keys of local changes. */
    @FunctionalInterface
    interface ChangeListener<K> {
        void changed(ReplicatedZone<K> zone, K key);
    }
}
