package io.zonesync.sync.cluster;

import io.zonesync.net.HandshakeCounters;
import io.zonesync.tls.TlsParameters;
import java.util.List;
import java.util.Map;

/**
 * What {@code /api/N/stream/zone_sync} reports: NGINX Plus's fields, plus the per-node view that
 * zonesync adds at {@code /api/N/stream/zone_sync/nodes}.
 */
public record ZoneSyncStatus(long bytesIn, long msgsIn, long msgsOut, long bytesOut, int nodesOnline,
        Map<String, ZoneCounts> zones, List<NodeStatus> nodes) {

    /**
     * {@code records_pending}: the most any online peer is still owed; {@code records_total}: live
     * records; and the zone's type ({@code keyval}, {@code sticky}, ...).
     */
    public record ZoneCounts(long recordsPending, long recordsTotal, String type) {
    }

    /**
     * One peer: its address, the link's direction and state, the peer's node id (0 before its
     * HELLO), since when the link is online (ms since the epoch, 0 if not) and since when it is in
     * its state, the last error with this peer (kept across reconnects), the records sent to and
     * received from it, how many it is still owed, the RECORDS bytes each way over the current
     * link, the link's TLS (null when plain or not up), how many times a link to this node came
     * back after the first, when any frame last came from it (ms since the epoch, 0 if never), and
     * the last heartbeat round trip on the current link (ns, -1 if none), and the replication lag:
     * the age of the oldest change the peer is owed and has not confirmed receiving (ms, 0 when none;
     * {@code PeerLink#replicationLagMillis}, or, for a peer away or catching up, {@link AwayPeers};
     * -1 for a peer never linked), and for a peer this node dials with zone_sync_ssl, the TLS
     * handshakes of its links (null otherwise).
     */
    public record NodeStatus(String address, String direction, String state, long nodeId, long onlineSince,
            long stateSince, String lastError, long recordsSent, long recordsReceived, long recordsPending,
            long bytesSent, long bytesReceived, TlsParameters tls, long reconnects, long lastSeen,
            long rttNanos, long lagMillis, HandshakeCounters.Report handshakes) {
    }
}
