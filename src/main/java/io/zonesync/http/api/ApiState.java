package io.zonesync.http.api;

import io.zonesync.http.limitreq.LimitReqZone;
import io.zonesync.http.proxycache.CacheReports;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.net.ConnectionStats;
import io.zonesync.net.LimitConnCounts;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.sync.cluster.SnapshotDurations;
import java.util.List;
import java.util.Map;

/** What the API reads and changes; the node implements it over its current configuration. */
public interface ApiState {
    /** The http keyval zones by name. */
    Map<String, KeyvalZone> httpKeyvalZones();

    /** The stream keyval zones by name. */
    Map<String, KeyvalZone> streamKeyvalZones();

    NginxInfo nginx();

    /**
     * The node's connection and request counters (those stub_status and the metrics page read),
     * for {@code /N/connections}, {@code /N/http/requests} and {@code /N/processes}; null when the
     * API has no node behind it, and those paths are then 404 PathNotFound.
     */
    default ConnectionStats connections() {
        return null;
    }

    /**
     * The http status zones (those the metrics page reads), for {@code /N/http/server_zones} and
     * {@code /N/http/location_zones}; null when the API has no node behind it (those paths are then 404).
     */
    default StatusZones statusZones() {
        return null;
    }

    /**
     * The stream status zones by name, each shaped as NginxStreamServerZone in doc/api/openapi.yaml
     * (a map Jackson can serialise), from the figures the metrics page reads; null when the API has
     * no node behind it ({@code /N/stream/server_zones} is then 404).
     */
    default Map<String, Map<String, Object>> streamServerZones() {
        return null;
    }

    /** Resets a stream status zone's totals; false when no configuration named it. */
    default boolean resetStreamServerZone(String name) {
        return false;
    }

    /**
     * The node's resolver status zones, for {@code /N/resolvers/} (version 5 and later); null when
     * the API has no node behind it (the path is then 404 PathNotFound).
     */
    default ResolverZones resolvers() {
        return null;
    }

    /** The http limit_req zones by name, for {@code /N/http/limit_reqs} (version 6 and later). */
    default Map<String, LimitReqZone> httpLimitReqZones() {
        return Map.of();
    }

    /** The http limit_conn zones' counts by name, for {@code /N/http/limit_conns} (version 6 and later). */
    default Map<String, LimitConnCounts> httpLimitConns() {
        return Map.of();
    }

    /** The stream limit_conn zones' counts by name, for {@code /N/stream/limit_conns} (version 6 and later). */
    default Map<String, LimitConnCounts> streamLimitConns() {
        return Map.of();
    }

    /** The http caches (keys zones of {@code proxy_cache_path}) by name, for {@code /N/http/caches}. */
    default Map<String, CacheReports.Report> httpCaches() {
        return Map.of();
    }

    /** The http upstream groups that have a {@code zone} (those the API shows), by name. */
    default Map<String, UpstreamGroup> httpUpstreams() {
        return Map.of();
    }

    /** The stream upstream groups that have a {@code zone} (those the API shows), by name. */
    default Map<String, UpstreamGroup> streamUpstreams() {
        return Map.of();
    }

    /**
     * The body of {@code GET /N/stream/zone_sync/} (any value Jackson can serialise, shaped as
     * NginxStreamZoneSync in doc/api/openapi.yaml), or null when zone_sync is not configured; the
     * API then answers 404 PathNotFound, which clients take for "not configured".
     */
    default Object streamZoneSync() {
        return null;
    }

    /**
     * zonesync's extension beside the standard endpoint, {@code GET /N/stream/zone_sync/nodes}: the
     * sync state of each peer (shaped as ZoneSyncNode in doc/api/openapi.yaml). Only asked when
     * {@link #streamZoneSync} is not null.
     */
    default Object streamZoneSyncNodes() {
        return List.of();
    }

    /**
     * zonesync's extension {@code GET /N/stream/zone_sync/zones}: each synced zone's type, records,
     * size and what of it is used, and a sticky zone's sessions (shaped as ZoneSyncZone in
     * doc/api/openapi.yaml), by name. Only asked when {@link #streamZoneSync} is not null.
     */
    default Map<String, Map<String, Object>> streamZoneSyncZones() {
        return Map.of();
    }

    /** How long zone_sync snapshots took to go out and to come in, per zone (empty without zone_sync). */
    default List<SnapshotDurations.Histogram> snapshotDurations() {
        return List.of();
    }
}
