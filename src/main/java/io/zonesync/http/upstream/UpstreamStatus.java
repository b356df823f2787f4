package io.zonesync.http.upstream;

import io.zonesync.net.HandshakeCounters;
import java.util.List;
import java.util.SortedMap;

/**
 * A consistent snapshot of an upstream group's servers and counters, for the API.
 *
 * @param queue the {@code queue}'s state, or null without one
 */
public record UpstreamStatus(String name, String zone, int keepalive, List<PeerStatus> peers, Queue queue) {

    /** @param overflows requests turned away because the queue was full */
    public record Queue(int size, int maxSize, long overflows) {
    }

    /**
     * @param responsesByClass 1xx..5xx
     * @param downstart epoch ms when the server last became unavailable, 0 when it is available
     * @param selected epoch ms of the last selection, 0 if never
     * @param headerTimeMs the mean time to the response header over completed responses, -1 before the first
     * @param responseTimeMs the mean time to the last byte over completed responses, -1 before the first
     * @param host the name of the {@code resolve} line the server came from, or null
     * @param health what active health checks found
     * @param connectTimeMs stream: the mean time to connect over connections made, -1 before the first
     * @param firstByteTimeMs stream: the mean time to the server's first byte, -1 before the first
     * @param ssl the TLS handshakes made with the server, null before the first
     */
    public record PeerStatus(int id, String server, String name, boolean backup, int weight, String state,
            int active, long requests, long[] responsesByClass, SortedMap<Integer, Long> codes, long sent,
            long received, long fails, long unavail, long downtimeMs, long downstart, long selected, int maxConns,
            long headerTimeMs, long responseTimeMs, String host, PeerHealth health, long connectTimeMs,
            long firstByteTimeMs, HandshakeCounters.Report ssl) {
    }
}
