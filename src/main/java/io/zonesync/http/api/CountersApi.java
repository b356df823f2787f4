package io.zonesync.http.api;

import io.zonesync.net.ConnectionStats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /N/connections}, {@code /N/http/requests}, {@code /N/processes} and {@code /N/ssl}: the
 * node's connection, request and TLS handshake totals, read from the very {@link ConnectionStats} stub_status and the metrics page
 * read, shaped as NGINX Plus's NginxConnections, NginxHTTPRequests, NginxProcesses and NginxSSLObject.
 * DELETE resets accepted and dropped connections, the request total, or the handshake figures, for
 * every reader.
 */
final class CountersApi {
    private CountersApi() {
    }

    static ApiResponse connections(ApiRequest request, ConnectionStats stats, Map<String, String> query)
            throws ApiError {
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ApiHandler.okJson(fields(connections(stats.snapshot()), query));
            }
            case "DELETE" -> {
                stats.resetConnections();
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    static ApiResponse requests(ApiRequest request, ConnectionStats stats, Map<String, String> query)
            throws ApiError {
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ApiHandler.okJson(fields(requests(stats.snapshot()), query));
            }
            case "DELETE" -> {
                stats.resetRequests();
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    /** NginxConnections of these figures, the node's or a worker's: active ones exclude idle ones. */
    static Map<String, Object> connections(ConnectionStats.Snapshot s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", s.accepted());
        body.put("dropped", s.dropped());
        body.put("active", s.reading() + s.writing());
        body.put("idle", s.waiting());
        return body;
    }

    /** NginxHTTPRequests of these figures, the node's or a worker's. */
    static Map<String, Object> requests(ConnectionStats.Snapshot s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", s.requests());
        body.put("current", s.writing());
        return body;
    }

    /** {@code /N/ssl}: the handshakes of every TLS listener of the node; DELETE resets them all. */
    static ApiResponse ssl(ApiRequest request, ConnectionStats stats, Map<String, String> query, int version)
            throws ApiError {
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ApiHandler.okJson(fields(SslObject.of(stats.handshakes().report(), version, true), query));
            }
            case "DELETE" -> {
                stats.handshakes().reset();
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    /**
     * The node is one process that no master respawns: {@code respawned} is always 0, and DELETE
     * has nothing to reset.
     */
    static ApiResponse processes(ApiRequest request) throws ApiError {
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ApiHandler.okJson(Map.of("respawned", 0));
            }
            case "DELETE" -> {
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    /** {@code fields=a,b} keeps those fields. */
    private static Map<String, Object> fields(Map<String, Object> body, Map<String, String> query) {
        String fields = query.get("fields");
        return ApiHandler.keepFields(body, fields);
    }
}
