package io.zonesync.node;

import io.zonesync.http.accesslog.AccessLogWriter;
import io.zonesync.keyval.KeyvalConfig;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.stream.statuszone.StreamStatusZones;
import java.time.Clock;

/**
 * What the node gives the stream modules of one configuration: its zones, clock, keyval settings,
 * the writer of stream access logs (null when only checking, {@code -t}), its stream status zones,
 * its resolver status zones, and what the configuration in force shows (its stream limit_conn zones
 * are taken over by name).
 */
record StreamServices(ZoneTable.Zones zones, Clock clock, KeyvalConfig.Both keyval, AccessLogWriter logs,
        StreamStatusZones statusZones, ResolverZones resolvers, ShownZones inForce) {
}
