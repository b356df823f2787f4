package io.zonesync.stream.geo;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.net.GeoEntries;
import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.StreamValue;

/**
 * One compiled stream {@code geo} block: its entries ({@link GeoEntries}: networks, ranges,
 * default) looked up by the value of its source, {@code $remote_addr} by default. Stream's geo has
 * no {@code proxy}, as in nginx.
 */
record StreamGeoTable(StreamValue source, GeoEntries entries) {

    static StreamGeoTable compile(Directive geo, StreamValue source) throws ConfigException {
        GeoEntries entries = new GeoEntries();
        for (Directive e : geo.block().directives()) {
            entries.read(e);
        }
        return new StreamGeoTable(source, entries.done());
    }

    String lookup(StreamSession session) {
        return entries.find(GeoEntries.probe(source.evaluate(session)));
    }
}
