package io.zonesync.http.api;

import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /N/http/upstreams[/name]} and {@code /N/stream/upstreams[/name]}: the status of upstream
 * groups that have a {@code zone}, shaped as NGINX Plus's (NginxHTTPUpstream and NginxStreamUpstream
 * in doc/api/openapi.yaml); DELETE on one group resets its statistics. Its servers are changed
 * through {@link UpstreamServersApi}.
 */
final class UpstreamApi {
    /** Which block's upstreams: their status and their servers' parameters differ. */
    enum Block {
        HTTP, STREAM
    }

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private UpstreamApi() {
    }

    static ApiError notFound() {
        return new ApiError(404, "UpstreamNotFound", "upstream not found");
    }

    static Map<String, Object> all(Map<String, UpstreamGroup> groups, Map<String, String> query, Block block,
            int version) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, UpstreamGroup> e : groups.entrySet()) {
            out.put(e.getKey(), one(e.getValue(), query, block, version));
        }
        return out;
    }

    /** One group; {@code fields=a,b} keeps only those fields (empty: none), as nginx does. */
    static Map<String, Object> one(UpstreamGroup group, Map<String, String> query, Block block, int version) {
        UpstreamStatus s = group.status();
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> peers = new ArrayList<>();
        for (UpstreamStatus.PeerStatus p : s.peers()) {
            peers.add(block == Block.HTTP ? peer(p, version) : streamPeer(p, version));
        }
        out.put("peers", peers);
        if (block == Block.HTTP) {
            out.put("keepalive", s.keepalive());
        }
        if (block == Block.HTTP && s.queue() != null) {
            out.put("queue", Map.of("size", s.queue().size(), "max_size", s.queue().maxSize(), "overflows",
                    s.queue().overflows()));
        }
        out.put("zombies", 0);
        out.put("zone", s.zone());
        String fields = query.get("fields");
        return ApiHandler.keepFields(out, fields);
    }

    private static Map<String, Object> peer(UpstreamStatus.PeerStatus p, int version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("server", p.server());
        m.put("name", p.name());
        m.put("backup", p.backup());
        m.put("weight", p.weight());
        m.put("state", p.state());
        m.put("active", p.active());
        ssl(p, version, m);
        if (p.maxConns() > 0) {
            m.put("max_conns", p.maxConns());
        }
        m.put("requests", p.requests());
        Map<String, Object> responses = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < 5; i++) {
            responses.put((i + 1) + "xx", p.responsesByClass()[i]);
            total += p.responsesByClass()[i];
        }
        Map<String, Long> codes = new LinkedHashMap<>();
        p.codes().forEach((status, count) -> codes.put(Integer.toString(status), count));
        responses.put("codes", codes);
        responses.put("total", total);
        m.put("responses", responses);
        failuresAndHealth(p, m);
        if (p.headerTimeMs() >= 0) {
            m.put("header_time", p.headerTimeMs());
            m.put("response_time", p.responseTimeMs());
        }
        if (p.host() != null) {
            m.put("host", p.host());
        }
        return m;
    }

    /** A stream server as NGINX Plus shows it (NginxStreamUpstreamPeer): connections instead of requests and responses. */
    private static Map<String, Object> streamPeer(UpstreamStatus.PeerStatus p, int version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("server", p.server());
        m.put("name", p.name());
        m.put("backup", p.backup());
        m.put("weight", p.weight());
        m.put("state", p.state());
        m.put("active", p.active());
        ssl(p, version, m);
        if (p.maxConns() > 0) {
            m.put("max_conns", p.maxConns());
        }
        m.put("connections", p.requests());
        if (p.connectTimeMs() >= 0) {
            m.put("connect_time", p.connectTimeMs());
        }
        if (p.firstByteTimeMs() >= 0) {
            m.put("first_byte_time", p.firstByteTimeMs());
        }
        if (p.responseTimeMs() >= 0) {
            m.put("response_time", p.responseTimeMs());
        }
        failuresAndHealth(p, m);
        if (p.host() != null) {
            m.put("host", p.host());
        }
        return m;
    }

    /** The server's TLS handshakes (API version 8 on), once the node has made one with it. */
    private static void ssl(UpstreamStatus.PeerStatus p, int version, Map<String, Object> m) {
        if (p.ssl() != null && version >= SslObject.DETAILED_SINCE) {
            m.put("ssl", SslObject.upstreamPeer(p.ssl(), version));
        }
    }

    /** The fields http and stream servers share: bytes, failures, health checks, downtime, last selection. */
    private static void failuresAndHealth(UpstreamStatus.PeerStatus p, Map<String, Object> m) {
        m.put("sent", p.sent());
        m.put("received", p.received());
        m.put("fails", p.fails());
        m.put("unavail", p.unavail());
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("checks", p.health().checks());
        health.put("fails", p.health().fails());
        health.put("unhealthy", p.health().unhealthyTimes());
        if (p.health().lastPassed() != null) {
            health.put("last_passed", p.health().lastPassed());
        }
        m.put("health_checks", health);
        m.put("downtime", p.downtimeMs());
        if (p.downstart() != 0) {
            m.put("downstart", ISO_MILLIS.format(Instant.ofEpochMilli(p.downstart())));
        }
        if (p.selected() != 0) {
            m.put("selected", ISO_MILLIS.format(Instant.ofEpochMilli(p.selected())));
        }
    }
}
