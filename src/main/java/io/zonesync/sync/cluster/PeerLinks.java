package io.zonesync.sync.cluster;

import io.zonesync.sync.link.LinkState;
import io.zonesync.sync.link.PeerLink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The links past their HELLO, one per peer node id: the simultaneous-dial rule decides which of
 * two links to the same node stays (doc/protocol.md 10.3), and the links are republished, on every
 * change, as the array each local change is fanned out to without a lock.
 */
final class PeerLinks {
    private final Map<Long, PeerLink> byPeer = new HashMap<>();
    private volatile PeerLink[] fanOut = new PeerLink[0];

    /**
     * Makes {@code link} the link to node {@code peerId}, closing the one it replaces; false, a
     * duplicate, when a live link to that node was dialled by the node with the lower id and stays.
     */
    synchronized boolean claim(PeerLink link, long peerId, long localNodeId) {
        PeerLink existing = byPeer.get(peerId);
        if (existing != null && existing != link && existing.state() != LinkState.CLOSED) {
            // Keep the link dialled by the node with the lower id; both ends choose the same one.
            if (Long.compareUnsigned(link.dialledBy(localNodeId), existing.dialledBy(localNodeId)) >= 0) {
                return false;
            }
            existing.close();
        }
        byPeer.put(peerId, link);
        fanOut = byPeer.values().toArray(new PeerLink[0]);
        return true;
    }

    /** Forgets a link that closed; true when it was the link to its peer. */
    synchronized boolean release(PeerLink link) {
        boolean was = byPeer.remove(link.peerNodeId(), link);
        fanOut = byPeer.values().toArray(new PeerLink[0]);
        return was;
    }

    synchronized boolean hasLinkTo(long peerNodeId) {
        PeerLink l = byPeer.get(peerNodeId);
        return l != null && l.state() != LinkState.CLOSED;
    }

    /**
     * Whether a link exists with the node listening at this dialled address, known by the sync
     * address its HELLO advertised (doc/protocol.md 10.2), even when it came back with a new id.
     */
    synchronized boolean hasLinkAdvertising(String dialKey) {
        for (PeerLink l : byPeer.values()) {
            if (l.state() != LinkState.CLOSED && l.listenAddresses().contains(dialKey)) {
                return true;
            }
        }
        return false;
    }

    synchronized List<PeerLink> all() {
        return new ArrayList<>(byPeer.values());
    }

    /** The links a local change goes to: read without a lock, never modified. */
    PeerLink[] fanOut() {
        return fanOut;
    }
}
