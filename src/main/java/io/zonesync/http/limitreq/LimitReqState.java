package io.zonesync.http.limitreq;

import io.zonesync.zone.UseOrder;
import java.util.Arrays;

/**
 * One key's bucket in a zone, nginx's {@code ngx_http_limit_req_node_t}: the level in
 * milli-requests, when it was last updated (monotonic ms), how many requests in flight hold it
 * (pins), and its place in the zone's least-recently-used queue. For sync it also counts the
 * requests this node accepted for the key (wrapping 32-bit, with a random epoch per incarnation of
 * the state) and remembers, per peer, the last such count merged. Guarded by the zone's lock.
 */
final class LimitReqState extends UseOrder.Entry<LimitReqState> {
    final LimitKey key;
    long excess;
    long last;
    /**
     * Created by a lookup that did not charge it (an earlier zone of several): nginx leaves
     * {@code last} at 0 then, which makes it look infinitely old; this flag says the same without
     * depending on the clock's origin.
     */
    boolean fresh;
    int pins;
    int epoch;
    int accepted;
    /**
     * When this node last accepted a request for the key, and the level right after it: what a
     * record tells peers, so they can charge the request when it happened (merges of other nodes'
     * requests move {@code last} on, and would make it look newer than it is).
     */
    long acceptedAt;
    long excessAtAccept;
    long[] originNodes = NO_ORIGINS;
    int[] originEpochs;
    int[] originCounts;

    private static final long[] NO_ORIGINS = new long[0];

    LimitReqState(LimitKey key) {
        this.key = key;
    }

    int origins() {
        return originNodes.length;
    }

    /** The index of this peer's mark, or -1. */
    int origin(long node) {
        for (int i = 0; i < originNodes.length; i++) {
            if (originNodes[i] == node) {
                return i;
            }
        }
        return -1;
    }

    void addOrigin(long node, int epochOfPeer, int count) {
        int n = originNodes.length;
        originNodes = Arrays.copyOf(originNodes, n + 1);
        originEpochs = originEpochs == null ? new int[1] : Arrays.copyOf(originEpochs, n + 1);
        originCounts = originCounts == null ? new int[1] : Arrays.copyOf(originCounts, n + 1);
        originNodes[n] = node;
        originEpochs[n] = epochOfPeer;
        originCounts[n] = count;
    }
}
