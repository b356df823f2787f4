package io.zonesync.stream.statuszone;

import static io.zonesync.config.Context.STREAM_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamHandler;
import io.zonesync.stream.core.StreamServer;
import java.util.Set;
import java.util.TreeSet;

/**
 * NGINX Plus's {@code status_zone} in a stream server: each connection the server accepts is
 * counted in the named zone from its first phase (so connections a later phase refuses count, with
 * their status) until it closes; so are the TLS handshakes of its {@code ssl} listeners. A zone_sync server has no sessions and counts none.
 */
public final class StreamStatusZoneModule implements ConfModule, StreamFeature {
    private static final String STARTED = "status_zone started";

    private final StreamStatusZones zones;
    /** The zones this configuration names, as its servers are compiled. */
    private final Set<String> named = new TreeSet<>();

    /** @param zones the node's zones; null when only registering the directive */
    public StreamStatusZoneModule(StreamStatusZones zones) {
        this.zones = zones;
    }

    /** The zones the configuration compiled names, for its reports once it is in force. */
    public synchronized Set<String> named() {
        return Set.copyOf(named);
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("status_zone", Arity.exactly(1), STREAM_SERVER));
    }

    @Override
    public synchronized void configureServer(StreamCompile stream, StreamServer.Builder server) throws ConfigException {
        Directive d = server.conf().scope().block().first("status_zone");
        if (d == null) {
            return;
        }
        if (d.arg(0).isEmpty()) {
            throw d.invalidValue(d.arg(0));
        }
        named.add(d.arg(0));
        StreamZoneCounters zone = zones.zone(d.arg(0));
        server.countHandshakes(zone.handshakes());
        server.preaccess(session -> {
            zone.started();
            session.value(STARTED, "1");
            return StreamHandler.CONTINUE;
        });
        server.log(session -> {
            if (session.value(STARTED) != null) {
                zone.ended(session.status(), session.bytesReceived(), session.bytesSent());
            }
        });
    }
}
