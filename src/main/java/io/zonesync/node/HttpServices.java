package io.zonesync.node;

import io.zonesync.http.api.ApiFeature;
import io.zonesync.http.proxy.ProxyConfig;
import io.zonesync.keyval.KeyvalConfig;
import java.time.Clock;

/**
 * What the node gives the http modules of one configuration: its zones, clock, API, counters,
 * parsed settings, and what the configuration in force shows (whose zones kept by name it takes over).
 */
record HttpServices(ZoneTable.Zones zones, Clock clock, ApiFeature api, NodeCounters counters,
        KeyvalConfig.Both keyval, ProxyConfig proxy, ShownZones inForce) {
}
