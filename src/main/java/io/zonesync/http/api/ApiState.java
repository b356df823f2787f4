package io.zonesync.http.api;

import io.zonesync.http.limitreq.LimitReqZone;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.keyval.KeyvalZone;
import java.util.List;
import java.util.Map;

/** What the API reads and changes; the node implements it over its current configuration. */
public interface ApiState {
    /** The http keyval zones by name. */
    Map<String, KeyvalZone> httpKeyvalZones();

    /** The stream keyval zones by name. */
    Map<String, KeyvalZone> streamKeyvalZones();

    NginxInfo nginx();

    /** The http limit_req zones by name, for {@code /N/http/limit_reqs} (version 6 and later). */
    default Map<String, LimitReqZone> httpLimitReqZones() {
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
}
