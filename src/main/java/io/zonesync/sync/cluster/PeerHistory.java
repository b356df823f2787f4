package io.zonesync.sync.cluster;

import io.zonesync.sync.link.PeerLink;
import java.util.HashMap;
import java.util.Map;

/**
 * What the cluster remembers of each peer node across its links, for the per-peer status: how many
 * times a link to it came back after the first, when it was last heard from, and the last error on a
 * link to it. Keyed by node id; a node restarted with a new id starts afresh.
 */
final class PeerHistory {
    /** A peer as remembered: links that came online, last frame received (ms since the epoch), last error. */
    record Peer(long linksOnline, long lastSeen, String lastError) {
        long reconnects() {
            return Math.max(0, linksOnline - 1);
        }
    }

    private static final Peer NONE = new Peer(0, 0, null);
    /** Past this many remembered nodes (ids churned by restarts), they are all forgotten (as the cluster forgets strangers). */
    private static final int MAX_NODES = 4096;

    private final Map<Long, Peer> peers = new HashMap<>();

    /** A link to this node came online. */
    synchronized void online(long nodeId) {
        Peer p = get(nodeId);
        put(nodeId, new Peer(p.linksOnline + 1, p.lastSeen, p.lastError));
    }

    /** A link to this node closed: keep when it was last heard from and why it closed, if in error. */
    synchronized void closed(PeerLink link) {
        long id = link.peerNodeId();
        if (id == 0) {
            return;
        }
        Peer p = get(id);
        String error = link.lastError() != null ? link.lastError() : p.lastError;
        put(id, new Peer(p.linksOnline, Math.max(p.lastSeen, link.lastReadAt()), error));
    }

    synchronized Peer get(long nodeId) {
        return peers.getOrDefault(nodeId, NONE);
    }

    private void put(long nodeId, Peer p) {
        if (peers.size() >= MAX_NODES && !peers.containsKey(nodeId)) {
            peers.clear();
        }
        peers.put(nodeId, p);
    }
}
