package io.zonesync.sync.link;

import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.zone.ReplicatedZone;
import java.util.Iterator;

/**
 * What one link owes one zone: the keys changed locally and not yet sent, and how far this node's
 * snapshot of the zone has got. Touched by writers only through {@link #pending}.
 */
final class ZoneSession<K> {
    final ReplicatedZone<K> zone;
    final ZoneSignature signature;
    final PendingKeys<K> pending = new PendingKeys<>();
    Iterator<K> snapshot;
    boolean snapshotBegun;
    boolean snapshotDone;
    long snapshotSent;
    long recordsSent;
    long recordsReceived;
    private K carryPending;
    private K carrySnapshot;

    ZoneSession(ReplicatedZone<K> zone, ZoneSignature signature) {
        this.zone = zone;
        this.signature = signature;
    }

    K nextPendingKey() {
        K k = carryPending;
        if (k != null) {
            carryPending = null;
            return k;
        }
        return pending.poll();
    }

    K nextSnapshotKey() {
        K k = carrySnapshot;
        if (k != null) {
            carrySnapshot = null;
            return k;
        }
        return snapshot.hasNext() ? snapshot.next() : null;
    }

    /** A key whose record did not fit the frame being packed: it is the first of the next one. */
    void putBack(K key, boolean fromSnapshot) {
        if (fromSnapshot) {
            carrySnapshot = key;
        } else {
            carryPending = key;
        }
    }

    boolean hasPending() {
        return carryPending != null || !pending.isEmpty();
    }

    boolean hasSnapshotLeft() {
        return carrySnapshot != null || snapshot.hasNext();
    }

    @SuppressWarnings("unchecked")
    void enqueue(Object key) {
        pending.add((K) key);
    }

    /** Records still to send to this peer: pending keys plus what the snapshot has not reached yet. */
    long backlog() {
        long left = snapshotDone ? 0 : Math.max(0, zone.recordCount() - snapshotSent);
        return pending.size() + left;
    }
}
