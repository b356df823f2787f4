package io.zonesync.stream.limitconn;

import static io.zonesync.config.Context.STREAM;
import static io.zonesync.config.Context.STREAM_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.log.Severity;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamServer;
import io.zonesync.stream.core.StreamValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's stream limit_conn module: {@code limit_conn_zone key zone=name:size}, {@code limit_conn
 * zone number}, {@code limit_conn_log_level}, {@code limit_conn_dry_run} and
 * {@code $limit_conn_status}. In the preaccess phase a session takes a place for its key in each
 * zone its server limits by, given back when the client connection closes; over the limit it is
 * closed with status 503; each zone counts the sessions it passed and rejected (or rejected in a
 * dry run) for the API. Zones keep their counts across reloads that keep their key and size.
 * Counted per node, as NGINX Plus does; the zone size is checked but not spent per key.
 */
public final class StreamLimitConnModule implements ConfModule, StreamFeature {
    private static final Logger LOG = LoggerFactory.getLogger(StreamLimitConnModule.class);
    private static final String STATUS = "limit_conn_status";
    private static final long MIN_SIZE = 8 * 4096;

    /** The zones of the configuration in force, where a reload finds its places and counts. */
    private final StreamConnZones inForce;
    private final Map<String, StreamConnZone> compiling = new LinkedHashMap<>();
    private final Map<String, StreamValue> keys = new HashMap<>();

    /** @param inForce the zones of the configuration in force ({@link StreamConnZones#NONE} at start or to check) */
    public StreamLimitConnModule(StreamConnZones inForce) {
        this.inForce = inForce;
    }

    /** The zones of the configuration compiled, for the node to show once that configuration is in force. */
    public synchronized StreamConnZones zones() {
        return new StreamConnZones(compiling);
    }

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_limit_conn_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("limit_conn_zone", Arity.exactly(2), STREAM));
        r.register(DirectiveSpec.repeatable("limit_conn", Arity.exactly(2), STREAM, STREAM_SERVER));
        r.register(DirectiveSpec.single("limit_conn_log_level", Arity.exactly(1), STREAM, STREAM_SERVER));
        r.register(DirectiveSpec.single("limit_conn_dry_run", Arity.FLAG, STREAM, STREAM_SERVER));
    }

    @Override
    public synchronized void defineVariables(StreamCompile stream) {
        stream.variables().define(STATUS, session -> session.value(STATUS));
    }

    @Override
    public synchronized void finishVariables(StreamCompile stream) throws ConfigException {
        compiling.clear();
        keys.clear();
        Map<String, Directive> declared = new HashMap<>();
        for (Directive d : stream.scope().block().all("limit_conn_zone")) {
            Values.ZoneSpec spec = Values.limitConnZone(d, d.arg(1), MIN_SIZE);
            String name = spec.name();
            long size = spec.sizeBytes();
            Directive before = declared.putIfAbsent(name, d);
            if (before != null) {
                throw d.error("limit_conn_zone \"%s\" is already bound to key \"%s\"", name, before.arg(0));
            }
            compiling.put(name, inForce.keep(name, d.arg(0), size));
            keys.put(name, StreamValue.compile(d.arg(0), stream.variables(), d.where()));
        }
    }

    /** One {@code limit_conn} of a server. */
    private record Rule(StreamConnZone zone, StreamValue key, int limit) {
    }

    @Override
    public synchronized void configureServer(StreamCompile stream, StreamServer.Builder server)
            throws ConfigException {
        Scope scope = server.conf().scope();
        List<Directive> limits = scope.effective("limit_conn");
        if (limits.isEmpty()) {
            return;
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Directive d : limits) {
            StreamConnZone zone = compiling.get(d.arg(0));
            if (zone == null) {
                throw d.error("zero size shared memory zone \"%s\"", d.arg(0));
            }
            long n = Values.parseDigits(d.arg(1));
            if (n <= 0 || n > 65535) {
                throw d.error("invalid number of connections \"%s\"", d.arg(1));
            }
            if (!seen.add(zone.name())) {
                throw d.error("\"limit_conn\" directive is duplicate");
            }
            rules.add(new Rule(zone, keys.get(zone.name()), (int) n));
        }
        Directive level = scope.effectiveFirst("limit_conn_log_level");
        Severity severity = level == null ? Severity.ERROR : Severity.limitLogLevel(level);
        Directive dry = scope.effectiveFirst("limit_conn_dry_run");
        boolean dryRun = dry != null && Values.flag(dry);
        server.preaccess(session -> {
            for (Rule r : rules) {
                String key = r.key().evaluate(session);
                if (key.isEmpty() || key.length() > 255) {
                    continue;
                }
                boolean within = r.zone().acquire(key, dryRun ? Integer.MAX_VALUE : r.limit(), r.limit());
                if (within) {
                    r.zone().counts().passed();
                } else {
                    r.zone().counts().rejected(dryRun);
                }
                if (within || dryRun) {
                    session.onClose(() -> r.zone().release(key));
                }
                if (!within) {
                    severity.log(LOG, "limiting connections{} by zone \"{}\", client: {}, server: {}",
                            dryRun ? ", dry run," : "", r.zone().name(), session.clientText(),
                            session.serverText());
                    session.value(STATUS, dryRun ? "REJECTED_DRY_RUN" : "REJECTED");
                    if (!dryRun) {
                        return 503;
                    }
                }
            }
            if (session.value(STATUS) == null) {
                session.value(STATUS, "PASSED");
            }
            return 0;
        });
    }
}
