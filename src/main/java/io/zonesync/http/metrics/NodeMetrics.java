package io.zonesync.http.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import io.zonesync.http.api.ApiState;
import io.zonesync.http.limitreq.LimitReqStats;
import io.zonesync.http.proxycache.CacheStats;
import io.zonesync.http.proxycache.CacheStatus;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.http.statuszone.ZoneCounters;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamStatus;
import io.zonesync.net.ConnectionStats;
import io.zonesync.net.HandshakeCounters;
import io.zonesync.net.LimitConnCounts;
import io.zonesync.net.dns.ResolverStats;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.sync.cluster.SnapshotDurations;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's figures as Prometheus metric snapshots, read at each scrape from the objects the JSON
 * API reads (so both always agree): under {@code nginxplus_} the names and labels of
 * nginx-prometheus-exporter for NGINX Plus, under {@code zonesync_} each zone_sync peer's link as
 * the API's {@code zone_sync/nodes} extension shows it, and the JVM's and the process's metrics.
 *
 * <p>The exporter publishes its totals under names without {@code _total}; the client library
 * would append it to a counter, so those keep the exporter's name and go out untyped. Totals whose
 * exporter name ends in {@code _total}, and zonesync's own, are counters.
 */
public final class NodeMetrics {
    /** The JVM and process collectors, registered once: the JVM is the same for every node in it. */
    private static final PrometheusRegistry JVM = jvmRegistry();

    /** An upstream server's figures before its first handshake: the exporter reads absent ones as 0. */
    private static final HandshakeCounters.Report NO_HANDSHAKES = new HandshakeCounters().report();

    private final ApiState api;
    private final ConnectionStats connections;
    private final StatusZones statusZones;
    private final Supplier<Map<String, StreamZoneFigures>> streamZones;
    private final Clock clock;

    /** @param streamZones the stream status zones' figures by name, read at each scrape */
    public NodeMetrics(ApiState api, ConnectionStats connections, StatusZones statusZones,
            Supplier<Map<String, StreamZoneFigures>> streamZones, Clock clock) {
        this.api = api;
        this.connections = connections;
        this.statusZones = statusZones;
        this.streamZones = streamZones;
        this.clock = clock;
    }

    private static PrometheusRegistry jvmRegistry() {
        PrometheusRegistry r = new PrometheusRegistry();
        JvmMetrics.builder().register(r);
        return r;
    }

    /** Every metric now, the node's then the JVM's. */
    public MetricSnapshots collect() {
        Families f = new Families();
        connections(f);
        workers(f);
        serverZones(f);
        locationZones(f);
        streamServerZones(f);
        upstreams(f);
        streamUpstreams(f);
        limitReqs(f);
        limitConns(f, "nginxplus_limit_connection_", api.httpLimitConns());
        limitConns(f, "nginxplus_stream_limit_connection_", api.streamLimitConns());
        caches(f);
        resolvers(f);
        zoneSync(f);
        snapshotDurations(f);
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        f.build().forEach(out::metricSnapshot);
        JVM.scrape().forEach(out::metricSnapshot);
        return out.build();
    }

    private void connections(Families f) {
        ConnectionStats.Snapshot s = connections.snapshot();
        // the exporter's 1 when it could read NGINX Plus's API; here the node answers for itself
        f.gauge("nginxplus_up", "Status of the last metric scrape", Labels.EMPTY, 1);
        f.total("nginxplus_connections_accepted", "Accepted client connections", Labels.EMPTY, s.accepted());
        f.total("nginxplus_connections_dropped", "Dropped client connections", Labels.EMPTY,
                s.dropped());
        f.gauge("nginxplus_connections_active", "Active client connections", Labels.EMPTY, s.reading() + s.writing());
        f.gauge("nginxplus_connections_idle", "Idle client connections", Labels.EMPTY, s.waiting());
        f.counter("nginxplus_http_requests", "Total http requests", Labels.EMPTY, s.requests());
        f.gauge("nginxplus_http_requests_current", "Current http requests", Labels.EMPTY, s.writing());
        ssl(f, "nginxplus_", Labels.EMPTY, connections.handshakes().report());
    }

    /** Each worker's figures, labelled with its id and the node's pid, as the exporter labels NGINX Plus's workers. */
    private void workers(Families f) {
        List<ConnectionStats.Snapshot> workers = connections.workers();
        if (workers.isEmpty()) {
            return;
        }
        String pid = Long.toString(api.nginx().pid());
        for (int i = 0; i < workers.size(); i++) {
            ConnectionStats.Snapshot s = workers.get(i);
            Labels l = Labels.of("id", Integer.toString(i), "pid", pid);
            String p = "nginxplus_worker_";
            f.total(p + "connection_accepted", "The total number of accepted client connections", l, s.accepted());
            f.total(p + "connection_dropped", "The total number of dropped client connections", l, s.dropped());
            f.gauge(p + "connection_active", "The current number of active client connections", l,
                    s.reading() + s.writing());
            f.gauge(p + "connection_idle", "The current number of idle client connections", l, s.waiting());
            f.counter(p + "http_requests", "The total number of client requests received by the worker", l,
                    s.requests());
            f.gauge(p + "http_requests_current", "The current number of client requests being processed by the"
                    + " worker", l, s.writing());
        }
    }

    private void serverZones(Families f) {
        for (String name : statusZones.serverZoneNames()) {
            statusZones.serverZone(name).ifPresent(r -> {
                Labels l = Labels.of("server_zone", name);
                f.gauge("nginxplus_server_zone_processing", "Client requests that are currently being processed", l,
                        r.processing());
                zone(f, "nginxplus_server_zone_", l, r);
                ssl(f, "nginxplus_server_zone_", l, r.ssl());
            });
        }
    }

    private void locationZones(Families f) {
        for (String name : statusZones.locationZoneNames()) {
            statusZones.locationZone(name).ifPresent(r -> zone(f, "nginxplus_location_zone_",
                    Labels.of("location_zone", name), r));
        }
    }

    private void streamServerZones(Families f) {
        streamZones.get().forEach((name, z) -> {
            Labels l = Labels.of("server_zone", name);
            String p = "nginxplus_stream_server_zone_";
            f.gauge(p + "processing", "Client connections that are currently being processed", l, z.processing());
            f.total(p + "connections", "Total connections", l, z.connections());
            long[] byClass = {z.success(), z.clientError(), z.serverError()};
            String[] classes = {"2xx", "4xx", "5xx"};
            for (int i = 0; i < 3; i++) {
                f.total(p + "sessions", "Total sessions completed", l.add("code", classes[i]), byClass[i]);
            }
            f.total(p + "discarded", "Total number of connections completed without creating a session", l,
                    z.discarded());
            f.total(p + "received", "Bytes received from clients", l, z.received());
            f.total(p + "sent", "Bytes sent to clients", l, z.sent());
            ssl(f, p, l, z.ssl());
        });
    }

    /** The TLS handshake figures the exporter publishes: handshakes, those failed, session reuses. */
    private static void ssl(Families f, String prefix, Labels l, HandshakeCounters.Report r) {
        f.total(prefix + "ssl_handshakes", "Successful SSL handshakes", l, r.handshakes());
        f.total(prefix + "ssl_handshakes_failed", "Failed SSL handshakes", l, r.handshakesFailed());
        f.total(prefix + "ssl_session_reuses", "Session reuses during SSL handshake", l, r.sessionReuses());
    }

    private static void zone(Families f, String prefix, Labels l, ZoneCounters.Report r) {
        f.total(prefix + "requests", "Total client requests", l, r.requests());
        ZoneCounters.Responses s = r.responses();
        long[] byClass = {s.informational(), s.successful(), s.redirection(), s.clientError(), s.serverError()};
        for (int i = 0; i < 5; i++) {
            f.total(prefix + "responses", "Total responses sent to clients", l.add("code", (i + 1) + "xx"), byClass[i]);
        }
        s.codes().forEach((code, n) -> f.total(prefix + "responses_codes", "Total responses sent to clients",
                l.add("code", Integer.toString(code)), n));
        f.total(prefix + "discarded", "Requests completed without sending a response", l, r.discarded());
        f.total(prefix + "received", "Bytes received from clients", l, r.received());
        f.total(prefix + "sent", "Bytes sent to clients", l, r.sent());
    }

    /** The exporter's numbers for a peer's state. */
    private static double stateNumber(String state) {
        switch (state) {
            case "up": return 1;
            case "draining": return 2;
            case "down": return 3;
            case "unavail": return 4;
            case "checking": return 5;
            case "unhealthy": return 6;
            default: return 0;
        }
    }

    private void upstreams(Families f) {
        for (Map.Entry<String, UpstreamGroup> g : api.httpUpstreams().entrySet()) {
            UpstreamStatus status = g.getValue().status();
            f.gauge("nginxplus_upstream_keepalive", "Idle keepalive connections", Labels.of("upstream", g.getKey()),
                    status.keepalive());
            for (UpstreamStatus.PeerStatus p : status.peers()) {
                Labels l = Labels.of("upstream", g.getKey(), "server", p.server());
                String u = "nginxplus_upstream_server_";
                f.gauge(u + "state", "Current state", l, stateNumber(p.state()));
                f.gauge(u + "active", "Active connections", l, p.active());
                f.gauge(u + "limit", "Limit for connections which corresponds to the max_conns parameter of the"
                        + " upstream server. Zero value means there is no limit", l, p.maxConns());
                f.total(u + "requests", "Total client requests", l, p.requests());
                for (int i = 0; i < 5; i++) {
                    f.total(u + "responses", "Total responses sent to clients", l.add("code", (i + 1) + "xx"),
                            p.responsesByClass()[i]);
                }
                p.codes().forEach((code, n) -> f.total(u + "responses_codes", "Total responses sent to clients",
                        l.add("code", Integer.toString(code)), n));
                f.total(u + "sent", "Bytes sent to this server", l, p.sent());
                f.total(u + "received", "Bytes received to this server", l, p.received());
                f.total(u + "fails", "Number of unsuccessful attempts to communicate with the server", l, p.fails());
                f.total(u + "unavail", "How many times the server became unavailable for client requests (state"
                        + " 'unavail') due to the number of unsuccessful attempts reaching the max_fails threshold", l,
                        p.unavail());
                if (p.headerTimeMs() >= 0) {
                    f.gauge(u + "header_time", "Average time to get the response header from the server", l,
                            p.headerTimeMs());
                    f.gauge(u + "response_time", "Average time to get the full response from the server", l,
                            p.responseTimeMs());
                }
                healthChecks(f, u, l, p);
                ssl(f, u, l, p.ssl() != null ? p.ssl() : NO_HANDSHAKES);
            }
        }
    }

    /** The stream upstream servers, as the API's {@code /stream/upstreams} shows them (connections, not requests). */
    private void streamUpstreams(Families f) {
        for (Map.Entry<String, UpstreamGroup> g : api.streamUpstreams().entrySet()) {
            for (UpstreamStatus.PeerStatus p : g.getValue().status().peers()) {
                Labels l = Labels.of("upstream", g.getKey(), "server", p.server());
                String u = "nginxplus_stream_upstream_server_";
                f.gauge(u + "state", "Current state", l, stateNumber(p.state()));
                f.gauge(u + "active", "Active connections", l, p.active());
                f.gauge(u + "limit", "Limit for connections which corresponds to the max_conns parameter of the"
                        + " upstream server. Zero value means there is no limit", l, p.maxConns());
                f.total(u + "connections", "Total number of client connections forwarded to this server", l,
                        p.requests());
                f.total(u + "sent", "Bytes sent to this server", l, p.sent());
                f.total(u + "received", "Bytes received from this server", l, p.received());
                f.total(u + "fails", "Number of unsuccessful attempts to communicate with the server", l, p.fails());
                f.total(u + "unavail", "How many times the server became unavailable for client connections (state"
                        + " 'unavail') due to the number of unsuccessful attempts reaching the max_fails threshold", l,
                        p.unavail());
                if (p.connectTimeMs() >= 0) {
                    f.gauge(u + "connect_time", "Average time to connect to the upstream server", l, p.connectTimeMs());
                }
                if (p.firstByteTimeMs() >= 0) {
                    f.gauge(u + "first_byte_time", "Average time to receive the first byte of data", l,
                            p.firstByteTimeMs());
                }
                if (p.responseTimeMs() >= 0) {
                    f.gauge(u + "response_time", "Average time to receive the last byte of data", l,
                            p.responseTimeMs());
                }
                healthChecks(f, u, l, p);
                ssl(f, u, l, p.ssl() != null ? p.ssl() : NO_HANDSHAKES);
            }
        }
    }

    private static void healthChecks(Families f, String prefix, Labels l, UpstreamStatus.PeerStatus p) {
        f.total(prefix + "health_checks_checks", "Total health check requests", l, p.health().checks());
        f.total(prefix + "health_checks_fails", "Failed health checks", l, p.health().fails());
        f.total(prefix + "health_checks_unhealthy", "How many times the server became unhealthy (state"
                + " 'unhealthy')", l, p.health().unhealthyTimes());
    }

    private void limitReqs(Families f) {
        api.httpLimitReqZones().forEach((name, zone) -> {
            LimitReqStats s = zone.stats();
            Labels l = Labels.of("zone", name);
            f.total("nginxplus_limit_request_passed", "Total number of requests that were passed", l, s.passed());
            f.total("nginxplus_limit_request_rejected", "Total number of requests that were rejected", l,
                    s.rejected());
            f.total("nginxplus_limit_request_delayed", "Total number of requests that were delayed", l, s.delayed());
            f.total("nginxplus_limit_request_rejected_dry_run", "Total number of requests accounted as rejected in"
                    + " the dry run mode", l, s.rejectedDryRun());
            f.total("nginxplus_limit_request_delayed_dry_run", "Total number of requests accounted as delayed in"
                    + " the dry run mode", l, s.delayedDryRun());
        });
    }

    /** The limit_conn zones of http or stream, from the counts {@code /api/N/.../limit_conns/} reads. */
    private static void limitConns(Families f, String prefix, Map<String, LimitConnCounts> zones) {
        zones.forEach((name, c) -> {
            Labels l = Labels.of("zone", name);
            f.total(prefix + "passed", "Total number of connections that were neither limited nor accounted as"
                    + " limited", l, c.passedCount());
            f.total(prefix + "rejected", "Total number of connections that were rejected", l, c.rejectedCount());
            f.total(prefix + "rejected_dry_run", "Total number of connections accounted as rejected in the dry run"
                    + " mode", l, c.rejectedDryRunCount());
        });
    }

    /** The proxy caches, from the figures {@code /api/N/http/caches/} reads, as the exporter names them. */
    private void caches(Families f) {
        api.httpCaches().forEach((name, cache) -> {
            Labels l = Labels.of("zone", name);
            String p = "nginxplus_cache_";
            f.gauge(p + "size", "Total size of the cache", l, cache.size());
            f.gauge(p + "max_size", "Maximum size of the cache", l, cache.maxSize());
            f.gauge(p + "cold", "Is the cache considered cold", l, cache.cold() ? 1 : 0);
            CacheStats s = cache.stats();
            for (CacheStatus status : CacheStats.REPORTED) {
                String n = p + status.name().toLowerCase(Locale.ROOT);
                f.total(n + "_responses", "Total number of " + status.name() + " responses of the cache", l,
                        s.responses(status));
                f.total(n + "_bytes", "Total number of bytes of " + status.name() + " responses of the cache", l,
                        s.bytes(status));
                if (status == CacheStatus.EXPIRED || status == CacheStatus.BYPASS) {
                    f.total(n + "_responses_written", "Total number of " + status.name() + " responses written to"
                            + " the cache", l, s.responsesWritten(status));
                    f.total(n + "_bytes_written", "Total number of bytes of " + status.name() + " responses written"
                            + " to the cache", l, s.bytesWritten(status));
                }
            }
        });
    }

    /** The resolver status zones, from the counts {@code /api/N/resolvers/} reads, as the exporter names them. */
    private void resolvers(Families f) {
        ResolverZones zones = api.resolvers();
        if (zones == null) {
            return;
        }
        for (String name : zones.names()) {
            zones.zone(name).ifPresent(z -> {
                ResolverStats.Figures s = z.figures();
                Labels l = Labels.of("resolver", name);
                String p = "nginxplus_resolver_";
                f.total(p + "name", "Total requests to resolve names to addresses", l, s.name());
                f.total(p + "srv", "Total requests to resolve SRV records", l, s.srv());
                f.total(p + "addr", "Total requests to resolve addresses to names", l, s.addr());
                f.total(p + "noerror", "Total number of successful responses", l, s.noerror());
                f.total(p + "formerr", "Total number of FORMERR responses", l, s.formerr());
                f.total(p + "servfail", "Total number of SERVFAIL responses", l, s.servfail());
                f.total(p + "nxdomain", "Total number of NXDOMAIN responses", l, s.nxdomain());
                f.total(p + "notimp", "Total number of NOTIMP responses", l, s.notimp());
                f.total(p + "refused", "Total number of REFUSED responses", l, s.refused());
                f.total(p + "timedout", "Total number of timed out requests", l, s.timedout());
                f.total(p + "unknown", "Total requests completed with an unknown error", l, s.unknown());
            });
        }
    }

    /** zone_sync, read from the very values {@code /api/N/stream/zone_sync} and its nodes extension serve. */
    @SuppressWarnings("unchecked")
    private void zoneSync(Families f) {
        Object body = api.streamZoneSync();
        if (!(body instanceof Map)) {
            return;
        }
        Map<String, Object> status = (Map<String, Object>) ((Map<String, Object>) body).get("status");
        String s = "nginxplus_stream_zone_sync_status_";
        f.total(s + "bytes_in", "Bytes received by this node", Labels.EMPTY, number(status, "bytes_in"));
        f.total(s + "bytes_out", "Bytes sent by this node", Labels.EMPTY, number(status, "bytes_out"));
        f.total(s + "msgs_in", "Total messages received by this node", Labels.EMPTY, number(status, "msgs_in"));
        f.total(s + "msgs_out", "Total messages sent by this node", Labels.EMPTY, number(status, "msgs_out"));
        f.gauge(s + "nodes_online", "Number of peers this node is connected to", Labels.EMPTY,
                number(status, "nodes_online"));
        Map<String, Object> zones = (Map<String, Object>) ((Map<String, Object>) body).get("zones");
        zones.forEach((name, z) -> {
            Map<String, Object> counts = (Map<String, Object>) z;
            Labels l = Labels.of("zone", name);
            f.gauge("nginxplus_stream_zone_sync_zone_records_pending", "The number of records that need to be sent"
                    + " to the cluster", l, number(counts, "records_pending"));
            f.gauge("nginxplus_stream_zone_sync_zone_records_total", "The total number of records stored in the"
                    + " shared memory zone", l, number(counts, "records_total"));
        });
        api.streamZoneSyncZones().forEach((name, z) -> {
            Labels l = Labels.of("zone", name);
            if (z.get("size") != null) {
                f.gauge("zonesync_zone_size_bytes", "The size of a synced zone as configured", l, number(z, "size"));
                f.gauge("zonesync_zone_used_bytes", "Bytes of a synced zone in use, as the zone counts its size", l,
                        number(z, "used"));
            }
            Map<String, Object> sessions = (Map<String, Object>) z.get("sessions");
            if (sessions != null) {
                f.gauge("zonesync_zone_sticky_sessions", "Sessions a sticky learn zone holds", l,
                        number(sessions, "current"));
                f.gauge("zonesync_zone_sticky_sessions_max", "Sessions a sticky learn zone can hold", l,
                        number(sessions, "max"));
            }
        });
        long now = clock.millis();
        for (Object o : (List<Object>) api.streamZoneSyncNodes()) {
            Map<String, Object> n = (Map<String, Object>) o;
            Labels l = Labels.of("peer", String.valueOf(n.get("address")), "direction",
                    String.valueOf(n.get("direction")));
            Object since = n.get("online_since");
            f.gauge("zonesync_peer_online", "1 while the link to this peer is established, else 0", l,
                    since == null ? 0 : 1);
            f.gauge("zonesync_peer_state", "The link's state (the API's zone_sync nodes state), always 1", l.add(
                    "state", String.valueOf(n.get("state"))), 1);
            if (since != null) {
                f.gauge("zonesync_peer_online_seconds", "Seconds since the link to this peer came online", l,
                        Math.max(0, now - Instant.parse((String) since).toEpochMilli()) / 1000.0);
            }
            f.counter("zonesync_peer_records_sent", "Records sent to this peer over the current link", l,
                    number(n, "records_sent"));
            f.counter("zonesync_peer_records_received", "Records received from this peer over the current link", l,
                    number(n, "records_received"));
            f.gauge("zonesync_peer_records_pending", "Records this peer is still owed", l,
                    number(n, "records_pending"));
            f.counter("zonesync_peer_bytes_sent", "RECORDS bytes sent to this peer over the current link", l,
                    number(n, "bytes_sent"));
            f.counter("zonesync_peer_bytes_received", "RECORDS bytes received from this peer over the current link",
                    l, number(n, "bytes_received"));
            f.counter("zonesync_peer_reconnects", "Times a link to this peer came online again after the first", l,
                    number(n, "reconnects"));
            if (n.get("rtt") != null) {
                f.gauge("zonesync_peer_rtt_seconds", "The last heartbeat round trip to this peer (PING to PONG)", l,
                        number(n, "rtt") / 1000.0);
            }
            if (n.get("replication_lag") != null) {
                f.gauge("zonesync_peer_replication_lag_seconds", "Age of the oldest change this peer is owed and has"
                        + " not confirmed receiving (0: none owed; link down: since it went down)", l, number(n, "replication_lag") / 1000.0);
            }
            if (n.get("last_seen_age") != null) {
                f.gauge("zonesync_peer_last_seen_age_seconds", "Seconds since anything was received from this peer",
                        l, number(n, "last_seen_age") / 1000.0);
            }
        }
    }

    /** The engine's snapshot timings, per zone, as Prometheus histograms with the engine's buckets. */
    private void snapshotDurations(Families f) {
        double[] bounds = new double[SnapshotDurations.BOUNDS.length + 1];
        System.arraycopy(SnapshotDurations.BOUNDS, 0, bounds, 0, SnapshotDurations.BOUNDS.length);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        for (SnapshotDurations.Histogram h : api.snapshotDurations()) {
            boolean send = h.direction() == SnapshotDurations.Direction.SEND;
            String name = send ? "zonesync_snapshot_send_duration_seconds"
                    : "zonesync_snapshot_receive_duration_seconds";
            String help = send ? "Time to send this node's whole snapshot of a zone to a peer (SNAPSHOT_BEGIN to"
                    + " SNAPSHOT_END written)" : "Time to receive a peer's whole snapshot of a zone (SNAPSHOT_BEGIN to"
                    + " SNAPSHOT_END read)";
            f.histogram(name, help, HistogramDataPointSnapshot.builder().labels(Labels.of("zone", h.zone()))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.counts())).sum(h.sumSeconds())
                    .build());
        }
    }

    private static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /** Data points gathered by metric name, in the order names first appear, then built into snapshots. */
    private static final class Families {
        private final Map<String, Family> byName = new LinkedHashMap<>();
        private final Map<String, HistogramSnapshot.Builder> histograms = new LinkedHashMap<>();

        /** A histogram's data point. */
        void histogram(String name, String help, HistogramDataPointSnapshot point) {
            histograms.computeIfAbsent(name, n -> HistogramSnapshot.builder().name(n).help(help)).dataPoint(point);
        }

        /** A total under the exporter's exact name (without {@code _total}): untyped. */
        void total(String name, String help, Labels labels, double value) {
            family(name, help, Kind.UNTYPED).points.add(labels, value);
        }

        /** A counter; the exposition adds {@code _total} to {@code name}. */
        void counter(String name, String help, Labels labels, double value) {
            family(name, help, Kind.COUNTER).points.add(labels, value);
        }

        void gauge(String name, String help, Labels labels, double value) {
            family(name, help, Kind.GAUGE).points.add(labels, value);
        }

        private Family family(String name, String help, Kind kind) {
            return byName.computeIfAbsent(name, n -> new Family(n, help, kind));
        }

        List<MetricSnapshot> build() {
            List<MetricSnapshot> out = new ArrayList<>();
            byName.values().forEach(family -> out.add(family.build()));
            histograms.values().forEach(h -> out.add(h.build()));
            return out;
        }
    }

    private enum Kind { UNTYPED, COUNTER, GAUGE }

    private static final class Family {
        final String name;
        final String help;
        final Kind kind;
        final Points points = new Points();

        Family(String name, String help, Kind kind) {
            this.name = name;
            this.help = help;
            this.kind = kind;
        }

        MetricSnapshot build() {
            switch (kind) {
                case COUNTER: {
                    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                    points.each((l, v) -> b.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(v).build()));
                    return b.build();
                }
                case GAUGE: {
                    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
                    points.each((l, v) -> b.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(v).build()));
                    return b.build();
                }
                default: {
                    UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(name).help(help);
                    points.each((l, v) -> b.dataPoint(UnknownDataPointSnapshot.builder().labels(l).value(v).build()));
                    return b.build();
                }
            }
        }
    }

    /** One family's points; a second point with the same labels adds to the first (two links to one peer). */
    private static final class Points {
        private final Map<Labels, double[]> values = new LinkedHashMap<>();

        void add(Labels labels, double value) {
            values.computeIfAbsent(labels, l -> new double[1])[0] += value;
        }

        void each(PointConsumer c) {
            values.forEach((l, v) -> c.accept(l, v[0]));
        }
    }

    @FunctionalInterface
    private interface PointConsumer {
        void accept(Labels labels, double value);
    }
}
