package io.zonesync.http.statuszone;

import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.LogHandler;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.net.HandshakeCounters;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts requests into the {@link StatusZones} their server and location name: every request of a
 * server with {@code status_zone} in the server zone (in progress from the moment it is given to
 * the server), and in a location zone those that end in a location under {@code status_zone}
 * (the nearest enclosing location's; {@code off} counts none), after any internal redirect. A
 * server zone also counts the TLS handshakes of its server's {@code ssl} listeners.
 */
public final class StatusZoneFeature implements HttpFeature {
    private final StatusZones zones;
    /** The zones this configuration names, as its levels are compiled. */
    private final Set<String> servers = new TreeSet<>();
    private final Set<String> locations = new TreeSet<>();

    public StatusZoneFeature(StatusZones zones) {
        this.zones = zones;
    }

    /** The zones the configuration compiled names, for its reports once it is in force. */
    public synchronized StatusZones.Named named() {
        return new StatusZones.Named(servers, locations);
    }

    @Override
    public synchronized List<LogHandler> logHandlers(CompileScope level) {
        if (level.locationDirective() == null) {
            Directive d = level.scope().block().first("status_zone");
            if (d == null || d.arg(0).equals("off")) {
                return List.of();
            }
            servers.add(d.arg(0));
            return List.of(new ServerZone(zones.server(d.arg(0))));
        }
        for (Scope s = level.scope(); s != null && s.context() == Context.HTTP_LOCATION; s = s.parent()) {
            Directive d = s.block().first("status_zone");
            if (d != null) {
                if (d.arg(0).equals("off")) {
                    return List.of();
                }
                locations.add(d.arg(0));
                return List.of(new LocationZone(zones.location(d.arg(0))));
            }
        }
        return List.of();
    }

    /** A server zone: counts the request from its start. */
    private record ServerZone(ZoneCounters counters) implements LogHandler {
        @Override
        public void requestStarted(HttpExchange ex) {
            counters.started();
        }

        @Override
        public void requestEnded(HttpExchange ex) {
            counters.ended(ex.responseStarted(), ex.status(), ex.requestLength(), ex.bytesSent(), true);
        }

        @Override
        public HandshakeCounters handshakes() {
            return counters.handshakes();
        }
    }

    /** A location zone: counts the request when it ends there. */
    private record LocationZone(ZoneCounters counters) implements LogHandler {
        @Override
        public void requestEnded(HttpExchange ex) {
            counters.ended(ex.responseStarted(), ex.status(), ex.requestLength(), ex.bytesSent(), false);
        }
    }
}
