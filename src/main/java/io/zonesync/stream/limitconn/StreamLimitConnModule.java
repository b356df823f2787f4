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
import io.zonesync.net.LimitConnZone;
import io.zonesync.net.LimitConnZones;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamHandler;
import io.zonesync.stream.core.StreamServer;
import io.zonesync.stream.core.StreamValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's stream limit_conn module: {@code limit_conn_zone key zone=name:size}, {@code limit_conn
 * zone number}, {@code limit_conn_log_level}, {@code limit_conn_dry_run} and
 * {@code $limit_conn_status}. In the preaccess phase a session takes a place for its key in each
 * zone its server limits by, given back when the client connection closes. A zone is the same
 * {@link LimitConnZone} http's limit_conn uses, its memory counted as nginx's: a key over the
 * limit, or a new key the full zone cannot hold, gives back the places the session took and closes
 * it with status 503 (in a dry run the session goes on, holding none); each zone counts the
 * sessions it passed and rejected (or rejected in a dry run) for the API. Zones keep their counts
 * across reloads that keep their key and size. Counted per node, as NGINX Plus does.
 */
public final class StreamLimitConnModule implements ConfModule, StreamFeature {
    private static final Logger LOG = LoggerFactory.getLogger(StreamLimitConnModule.class);
    private static final String STATUS = "limit_conn_status";

    /** The zones of the configuration in force, where a reload finds its places and counts. */
    private final LimitConnZones inForce;
    private LimitConnZones.Compiling compiling;
    private final Map<String, StreamValue> keys = new HashMap<>();

    /** @param inForce the zones of the configuration in force ({@link LimitConnZones#NONE} at start or to check) */
    public StreamLimitConnModule(LimitConnZones inForce) {
        this.inForce = inForce;
        this.compiling = inForce.next();
    }

    /** The zones of the configuration compiled, for the node to show once that configuration is in force. */
    public synchronized LimitConnZones zones() {
        return compiling.zones();
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
        compiling = inForce.next();
        keys.clear();
        for (Directive d : stream.scope().block().all("limit_conn_zone")) {
            LimitConnZone zone = compiling.declare(d);
            keys.put(zone.name(), StreamValue.compile(d.arg(0), stream.variables(), d.where()));
        }
    }

    /** One {@code limit_conn} of a server. */
    private record Rule(LimitConnZone zone, StreamValue key, int limit) {
    }

    /** A place a session holds. */
    private record Held(LimitConnZone zone, String key) {
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
            LimitConnZones.Limit limit = compiling.limit(d, seen);
            rules.add(new Rule(limit.zone(), keys.get(limit.zone().name()), limit.number()));
        }
        Directive level = scope.effectiveFirst("limit_conn_log_level");
        Severity severity = level == null ? Severity.ERROR : Severity.limitLogLevel(level);
        Directive dry = scope.effectiveFirst("limit_conn_dry_run");
        boolean dryRun = dry != null && Values.flag(dry);
        server.preaccess(session -> {
            List<Held> held = new ArrayList<>(rules.size());
            session.onClose(() -> release(held));
            for (Rule r : rules) {
                String key = r.key().evaluate(session);
                if (key.isEmpty() || key.length() > 255) {
                    continue;
                }
                session.value(STATUS, "PASSED"); // as nginx: set once a key is counted
                LimitConnZone.Result result = r.zone().acquire(key, r.limit());
                if (result == LimitConnZone.Result.ACQUIRED) {
                    r.zone().counts().passed();
                    synchronized (held) {
                        held.add(new Held(r.zone(), key));
                    }
                    continue;
                }
                r.zone().counts().rejected(dryRun);
                if (result == LimitConnZone.Result.NO_MEMORY) {
                    severity.log(LOG, "could not allocate node in limit_conn_zone \"{}\", client: {}, server: {}",
                            r.zone().name(), session.clientText(), session.serverText());
                } else {
                    severity.log(LOG, "limiting connections{} by zone \"{}\", client: {}, server: {}",
                            dryRun ? ", dry run," : "", r.zone().name(), session.clientText(),
                            session.serverText());
                }
                release(held); // as nginx: the places this session took go back before it is refused
                session.value(STATUS, dryRun ? "REJECTED_DRY_RUN" : "REJECTED");
                return dryRun ? StreamHandler.CONTINUE : 503;
            }
            return StreamHandler.CONTINUE;
        });
    }

    /** Gives back every place in {@code held}, once. */
    private static void release(List<Held> held) {
        synchronized (held) {
            for (Held h : held) {
                h.zone().release(h.key());
            }
            held.clear();
        }
    }
}
