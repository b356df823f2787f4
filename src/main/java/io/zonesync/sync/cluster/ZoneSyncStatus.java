package io.zonesync.sync.cluster;

import java.util.List;
import java.util.Map;

/**
 * What {@code /api/N/stream/zone_sync} reports: NGINX Plus's fields, plus the per-node view that
 * zonesync adds at {@code /api/N/stream/zone_sync/nodes}.
 */
public record ZoneSyncStatus(long bytesIn, long msgsIn, long msgsOut, long bytesOut, int nodesOnline,
        Map<String, ZoneCounts> zones, List<NodeStatus> nodes) {

    /** {@code records_pending}: the most any online peer is still owed; {@code records_total}: live records. */
    public record ZoneCounts(long recordsPending, long recordsTotal) {
    }

    /**
     * One peer: its address, the link state, since when it is online (ms since the epoch, 0 if not),
     * the last error on it, the records sent to and received from it, and how many records it is
     * still owed (how far behind it is).
     */
    public record NodeStatus(String address, String direction, String state, long nodeId, long onlineSince,
            String lastError, long recordsSent, long recordsReceived, long recordsPending) {
    }
}
