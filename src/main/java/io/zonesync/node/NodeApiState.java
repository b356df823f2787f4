package io.zonesync.node;

import io.zonesync.http.api.ApiState;
import io.zonesync.http.api.NginxInfo;
import io.zonesync.http.api.SslObject;
import io.zonesync.http.limitreq.LimitReqFamily;
import io.zonesync.http.limitreq.LimitReqZone;
import io.zonesync.http.proxycache.CacheReports;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.http.sticky.SessionZone;
import io.zonesync.http.sticky.StickyFamily;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.vars.CoreVariables;
import io.zonesync.keyval.KeyvalFamily;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.net.ConnectionStats;
import io.zonesync.net.LimitConnCounts;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.sync.cluster.SnapshotDurations;
import io.zonesync.sync.cluster.SyncCluster;
import io.zonesync.sync.cluster.ZoneSyncStatus;
import io.zonesync.tls.TlsParameters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The API's view of the running node: its current zones, its identity, its counters and the sync state. */
final class NodeApiState implements ApiState {
    private final Supplier<ZoneTable.Zones> zones;
    private final Supplier<SyncCluster> sync;
    private final Supplier<Long> generation;
    private final Supplier<Instant> loadTime;
    private volatile Supplier<Map<String, UpstreamGroup>> upstreams;
    private volatile Supplier<Map<String, UpstreamGroup>> streamUpstreams;
    private volatile NodeCounters counters;
    private volatile KeyvalMaps keyvals;

    NodeApiState(Supplier<ZoneTable.Zones> zones, Supplier<SyncCluster> sync, Supplier<Long> generation,
            Supplier<Instant> loadTime) {
        this.zones = zones;
        this.sync = sync;
        this.generation = generation;
        this.loadTime = loadTime;
    }

    /** Where the current configuration's upstream groups come from (set once the node exists). */
    void upstreams(Supplier<Map<String, UpstreamGroup>> source) {
        this.upstreams = source;
    }

    /** Where the current configuration's stream upstream groups come from (set once the node exists). */
    void streamUpstreams(Supplier<Map<String, UpstreamGroup>> source) {
        this.streamUpstreams = source;
    }

    /** The node's counters, those stub_status and the metrics page read (set once the node has them). */
    void counters(NodeCounters c) {
        this.counters = c;
    }

    @Override
    public ConnectionStats connections() {
        NodeCounters c = counters;
        return c == null ? null : c.connections();
    }

    @Override
    public StatusZones statusZones() {
        NodeCounters c = counters;
        return c == null ? null : c.statusZones();
    }

    @Override
    public ResolverZones resolvers() {
        NodeCounters c = counters;
        return c == null ? null : c.resolvers();
    }

    @Override
    public Map<String, Map<String, Object>> streamServerZones() {
        NodeCounters c = counters;
        if (c == null) {
            return null;
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        c.streamZoneFigures().forEach((name, f) -> {
            Map<String, Object> sessions = new LinkedHashMap<>();
            sessions.put("2xx", f.success());
            sessions.put("4xx", f.clientError());
            sessions.put("5xx", f.serverError());
            sessions.put("total", f.success() + f.clientError() + f.serverError());
            Map<String, Object> z = new LinkedHashMap<>();
            z.put("processing", f.processing());
            z.put("connections", f.connections());
            z.put("sessions", sessions);
            z.put("discarded", f.discarded());
            z.put("received", f.received());
            z.put("sent", f.sent());
            z.put("ssl", SslObject.of(f.ssl(), SslObject.DETAILED_SINCE, false));
            out.put(name, z);
        });
        return out;
    }

    @Override
    public boolean resetStreamServerZone(String name) {
        NodeCounters c = counters;
        return c != null && c.streamZones().reset(name);
    }

    @Override
    public Map<String, KeyvalZone> httpKeyvalZones() {
        return keyvals().http();
    }

    @Override
    public Map<String, KeyvalZone> streamKeyvalZones() {
        return keyvals().stream();
    }

    /** The keyval zone maps of the current zones, built once per configuration rather than per API request. */
    private KeyvalMaps keyvals() {
        ZoneTable.Zones z = zones.get();
        KeyvalMaps k = keyvals;
        if (k == null || k.zones() != z) {
            k = z == null ? new KeyvalMaps(null, Map.of(), Map.of())
                    : new KeyvalMaps(z, Collections.unmodifiableMap(z.of(KeyvalFamily.HTTP)),
                            Collections.unmodifiableMap(z.of(KeyvalFamily.STREAM)));
            keyvals = k;
        }
        return k;
    }

    private record KeyvalMaps(ZoneTable.Zones zones, Map<String, KeyvalZone> http, Map<String, KeyvalZone> stream) {
    }

    @Override
    public Map<String, LimitReqZone> httpLimitReqZones() {
        ZoneTable.Zones z = zones.get();
        return z == null ? Map.of() : z.of(LimitReqFamily.KEY);
    }

    @Override
    public Map<String, LimitConnCounts> httpLimitConns() {
        NodeCounters c = counters;
        return c == null ? Map.of() : c.limitConns().counts();
    }

    @Override
    public Map<String, LimitConnCounts> streamLimitConns() {
        NodeCounters c = counters;
        return c == null ? Map.of() : c.streamLimitConns().counts();
    }

    @Override
    public Map<String, CacheReports.Report> httpCaches() {
        NodeCounters c = counters;
        return c == null ? Map.of() : c.caches().all();
    }

    @Override
    public Map<String, UpstreamGroup> httpUpstreams() {
        return withZone(upstreams);
    }

    @Override
    public Map<String, UpstreamGroup> streamUpstreams() {
        return withZone(streamUpstreams);
    }

    /** The groups of {@code u} that have a {@code zone}: those NGINX Plus's API shows. */
    private static Map<String, UpstreamGroup> withZone(Supplier<Map<String, UpstreamGroup>> u) {
        Map<String, UpstreamGroup> all = u == null ? null : u.get();
        Map<String, UpstreamGroup> out = new LinkedHashMap<>();
        if (all != null) {
            all.forEach((name, g) -> {
                if (g.spec().zone() != null) {
                    out.put(name, g);
                }
            });
        }
        return out;
    }

    @Override
    public NginxInfo nginx() {
        ProcessHandle self = ProcessHandle.current();
        long ppid = self.parent().map(ProcessHandle::pid).orElse(0L);
        return new NginxInfo(CoreVariables.VERSION, "zonesync", generation.get(), loadTime.get(), self.pid(), ppid);
    }

    @Override
    public Object streamZoneSync() {
        SyncCluster c = sync.get();
        if (c == null) {
            return null;
        }
        ZoneSyncStatus s = c.status();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("bytes_in", s.bytesIn());
        status.put("msgs_in", s.msgsIn());
        status.put("msgs_out", s.msgsOut());
        status.put("bytes_out", s.bytesOut());
        status.put("nodes_online", s.nodesOnline());
        Map<String, Object> zoneMap = new LinkedHashMap<>();
        s.zones().forEach((name, counts) -> {
            Map<String, Object> z = new LinkedHashMap<>();
            z.put("records_pending", counts.recordsPending());
            z.put("records_total", counts.recordsTotal());
            zoneMap.put(name, z);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("zones", zoneMap);
        body.put("status", status);
        return body;
    }

    @Override
    public Object streamZoneSyncNodes() {
        SyncCluster c = sync.get();
        List<Map<String, Object>> out = new ArrayList<>();
        if (c == null) {
            return out;
        }
        long now = c.nowMillis();
        for (ZoneSyncStatus.NodeStatus n : c.status().nodes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", n.address());
            m.put("direction", n.direction());
            m.put("state", n.state());
            m.put("node_id", n.nodeId() == 0 ? null : Long.toHexString(n.nodeId()));
            m.put("online_since", n.onlineSince() == 0 ? null : Instant.ofEpochMilli(n.onlineSince()).toString());
            m.put("state_since", Instant.ofEpochMilli(n.stateSince()).toString());
            m.put("last_error", n.lastError());
            m.put("records_sent", n.recordsSent());
            m.put("records_received", n.recordsReceived());
            m.put("records_pending", n.recordsPending());
            m.put("bytes_sent", n.bytesSent());
            m.put("bytes_received", n.bytesReceived());
            m.put("ssl", n.tls() == null ? null : ssl(n.tls()));
            if (n.handshakes() != null) {
                m.put("handshakes", SslObject.upstreamPeer(n.handshakes(), SslObject.DETAILED_SINCE));
            }
            m.put("rtt", n.rttNanos() < 0 ? null : n.rttNanos() / 1e6);
            m.put("replication_lag", n.lagMillis() < 0 ? null : n.lagMillis());
            m.put("reconnects", n.reconnects());
            m.put("last_seen", n.lastSeen() == 0 ? null : Instant.ofEpochMilli(n.lastSeen()).toString());
            m.put("last_seen_age", n.lastSeen() == 0 ? null : Math.max(0, now - n.lastSeen()));
            out.add(m);
        }
        return out;
    }

    @Override
    public Map<String, Map<String, Object>> streamZoneSyncZones() {
        SyncCluster c = sync.get();
        ZoneTable.Zones all = zones.get();
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (c == null || all == null) {
            return out;
        }
        Map<String, KeyvalZone> keyvals = new LinkedHashMap<>(all.of(KeyvalFamily.HTTP));
        keyvals.putAll(all.of(KeyvalFamily.STREAM));
        Map<String, SessionZone> sticky = all.of(StickyFamily.KEY);
        Map<String, LimitReqZone> limitReqs = all.of(LimitReqFamily.KEY);
        c.status().zones().forEach((name, counts) -> {
            Map<String, Object> z = new LinkedHashMap<>();
            z.put("type", counts.type());
            z.put("records_total", counts.recordsTotal());
            z.put("records_pending", counts.recordsPending());
            Long size = null;
            Long used = null;
            Map<String, Object> sessions = null;
            if (keyvals.containsKey(name)) {
                size = keyvals.get(name).sizeBytes();
                used = keyvals.get(name).usedBytes();
            } else if (sticky.containsKey(name)) {
                SessionZone s = sticky.get(name);
                size = s.sizeBytes();
                used = s.usedBytes();
                sessions = new LinkedHashMap<>();
                sessions.put("current", s.size());
                sessions.put("max", s.capacity());
            } else if (limitReqs.containsKey(name)) {
                size = limitReqs.get(name).sizeBytes();
                used = limitReqs.get(name).usedBytes();
            }
            z.put("size", size);
            z.put("used", used);
            z.put("sessions", sessions);
            out.put(name, z);
        });
        return out;
    }

    @Override
    public List<SnapshotDurations.Histogram> snapshotDurations() {
        SyncCluster c = sync.get();
        return c == null ? List.of() : c.snapshotDurations().all();
    }

    /** A link's TLS as the nodes extension shows it. */
    private static Map<String, Object> ssl(TlsParameters tls) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", tls.protocol());
        m.put("cipher", tls.cipher());
        m.put("peer_subject", tls.peerSubject());
        return m;
    }
}
