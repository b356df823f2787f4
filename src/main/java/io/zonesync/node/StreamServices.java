package io.zonesync.node;

import io.zonesync.http.accesslog.AccessLogWriter;
import io.zonesync.keyval.KeyvalConfig;
import java.time.Clock;

/**
 * What the node gives the stream modules of one configuration: its zones, clock, keyval settings
 * and the writer of stream access logs (null when only checking, {@code -t}).
 */
record StreamServices(ZoneTable.Zones zones, Clock clock, KeyvalConfig.Both keyval, AccessLogWriter logs) {
}
