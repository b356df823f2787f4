package io.zonesync.sync.link;

import io.zonesync.zone.ReplicatedZone;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What delta resync remembers on this node (doc/protocol.md 11.6), shared by its links: the epoch
 * of each of its own zones (a random number per copy of the zone, so a zone made anew is never
 * resumed from a mark on its old contents), and, per peer incarnation (node id) and zone, the last
 * MARK merged from that peer, valid only while this node's zone is the copy that merged it. Kept in
 * memory only: a restarted node has no marks and asks for whole snapshots.
 */
public final class ResumeMarks {
    /** Peer incarnations remembered; the least recently used beyond this are forgotten. */
    static final int MAX_PEERS = 256;

    private record Epoch(ReplicatedZone<?> zone, long epoch) {
    }

    /** A peer's mark of one of its zones, merged into {@code into}, this node's copy of the zone then. */
    private record Held(ReplicatedZone<?> into, long epoch, long hlc) {
    }

    private final Map<String, Epoch> epochs = new HashMap<>();
    private final Map<Long, Map<String, Held>> byPeer = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Map<String, Held>> eldest) {
            return size() > MAX_PEERS;
        }
    };

    /** This node's epoch of {@code zone}: the same while the zone is the same object, never 0. */
    public synchronized long epochOf(ReplicatedZone<?> zone) {
        Epoch e = epochs.get(zone.name());
        if (e == null || e.zone != zone) {
            long n;
            do {
                n = ThreadLocalRandom.current().nextLong();
            } while (n == 0);
            e = new Epoch(zone, n);
            epochs.put(zone.name(), e);
        }
        return e.epoch;
    }

    /** The peer's MARK of its zone copy {@code epoch}, merged into this node's {@code zone}. */
    synchronized void marked(long peerNodeId, ReplicatedZone<?> zone, long epoch, long hlc) {
        byPeer.computeIfAbsent(peerNodeId, p -> new HashMap<>()).put(zone.name(), new Held(zone, epoch, hlc));
    }

    /** Forgets the peer's mark of a zone: what this node holds of it is no longer known. */
    synchronized void forget(long peerNodeId, String zoneName) {
        Map<String, Held> m = byPeer.get(peerNodeId);
        if (m != null) {
            m.remove(zoneName);
        }
    }

    /**
     * What to ask the peer for its zone of this name: {epoch, since}, or {0, 0} for the whole
     * snapshot (no mark from this incarnation of the peer, or one merged into another copy of the zone).
     */
    synchronized long[] resumeFrom(long peerNodeId, ReplicatedZone<?> zone) {
        Map<String, Held> m = byPeer.get(peerNodeId);
        Held h = m == null ? null : m.get(zone.name());
        if (h == null || h.into != zone) {
            return new long[] {0, 0};
        }
        return new long[] {h.epoch, h.hlc};
    }
}
