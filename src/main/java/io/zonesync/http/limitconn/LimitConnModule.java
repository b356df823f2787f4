package io.zonesync.http.limitconn;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.core.LogHandler;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;
import io.zonesync.log.Severity;
import io.zonesync.net.LimitConnZone;
import io.zonesync.net.LimitConnZones;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * nginx's limit_conn module: {@code limit_conn_zone key zone=name:size}, {@code limit_conn zone
 * number} (several per level; a level with its own replaces the outer ones),
 * {@code limit_conn_status}, {@code limit_conn_log_level}, {@code limit_conn_dry_run} and
 * {@code $limit_conn_status}. A request holds its places from the preaccess phase until it ends;
 * zones keep their counts across reloads that keep their key and size, as nginx's shared memory
 * does. Per node: NGINX Plus does not synchronise limit_conn and neither does zonesync.
 */
public final class LimitConnModule implements ConfModule, HttpFeature {
    static final String ZONE = "limit_conn_zone";
    static final String LIMIT = "limit_conn";
    /** The zones of the configuration in force, where a reload finds its places and counts. */
    private final LimitConnZones inForce;
    /** The zones and keys of the configuration being compiled. */
    private LimitConnZones.Compiling compiling;
    private final Map<String, ComplexValue> keys = new HashMap<>();

    /** @param inForce the zones of the configuration in force ({@link LimitConnZones#NONE} at start or to check) */
    public LimitConnModule(LimitConnZones inForce) {
        this.inForce = inForce;
        this.compiling = inForce.next();
    }

    /** The zones of the configuration compiled, for the node to show once that configuration is in force. */
    public synchronized LimitConnZones zones() {
        return compiling.zones();
    }

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_limit_conn_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable(ZONE, Arity.exactly(2), HTTP));
        r.register(DirectiveSpec.repeatable(LIMIT, Arity.exactly(2), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("limit_conn_status", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("limit_conn_log_level", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("limit_conn_dry_run", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
    }

    @Override
    public void defineVariables(VariableRegistry variables) {
        variables.define("limit_conn_status", request -> {
            LimitConnHandler.Status s = request.attribute(LimitConnHandler.STATUS);
            return s == null ? null : s.name();
        });
    }

    @Override
    public synchronized void configureHttp(CompileScope http) throws ConfigException {
        compiling = inForce.next();
        keys.clear();
        for (Directive d : http.scope().block().all(ZONE)) {
            LimitConnZone zone = compiling.declare(d);
            keys.put(zone.name(), http.compile(d, d.arg(0)));
        }
    }

    @Override
    public synchronized List<AccessHandler> accessHandlers(CompileScope location) throws ConfigException {
        Scope scope = location.scope();
        int status = status(scope);
        Severity level = logLevel(scope);
        boolean dryRun = dryRun(scope);
        List<Directive> limits = scope.effective(LIMIT);
        if (limits.isEmpty()) {
            return List.of();
        }
        List<LimitConnHandler.Rule> rules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Directive d : limits) {
            LimitConnZones.Limit limit = compiling.limit(d, seen);
            rules.add(new LimitConnHandler.Rule(limit.zone(), keys.get(limit.zone().name()), limit.number()));
        }
        return List.of(new LimitConnHandler(rules, status, level, dryRun));
    }

    /** A server's: gives back, when the request ends, every place it took (in whatever location). */
    @Override
    public List<LogHandler> logHandlers(CompileScope level) {
        return level.locationDirective() == null ? List.of(LimitConnHandler.RELEASE) : List.of();
    }

    private static int status(Scope scope) throws ConfigException {
        Directive d = scope.effectiveFirst("limit_conn_status");
        return d == null ? 503 : Values.rejectStatus(d);
    }

    private static Severity logLevel(Scope scope) throws ConfigException {
        Directive d = scope.effectiveFirst("limit_conn_log_level");
        return d == null ? Severity.ERROR : Severity.limitLogLevel(d);
    }

    private static boolean dryRun(Scope scope) throws ConfigException {
        Directive d = scope.effectiveFirst("limit_conn_dry_run");
        return d != null && Values.flag(d);
    }
}
