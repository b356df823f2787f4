package io.zonesync.http.limitreq;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.log.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * limit_req's part in compiling the http block: defines {@code $limit_req_status}, compiles each
 * zone's key with this configuration's variables, and gives every location whose effective
 * {@code limit_req}s are not empty a {@link LimitReqHandler}. {@code limit_req} directives are
 * inherited only by levels that have none of their own; the other settings inherit one by one.
 */
public final class LimitReqFeature implements HttpFeature {
    private final Map<String, LimitReqZone> zones;
    private final Map<String, ComplexValue> keys = new HashMap<>();

    /** @param zones the zones of the configuration being compiled, by name */
    public LimitReqFeature(Map<String, LimitReqZone> zones) {
        this.zones = Map.copyOf(zones);
    }

    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        if (!http.variables().isDefined("limit_req_status")) {
            http.variables().define("limit_req_status", request -> {
                LimitReqStatus s = request.attribute(LimitReqHandler.STATUS);
                return s == null ? null : s.name();
            });
        }
        for (Directive d : http.scope().block().all(LimitReqModule.ZONE)) {
            String name = LimitReqZoneConf.compile(d).name();
            keys.put(name, http.compile(d, d.arg(0)));
        }
    }

    @Override
    public List<AccessHandler> accessHandlers(CompileScope location) throws ConfigException {
        Scope scope = location.scope();
        List<Directive> limits = scope.effective(LimitReqModule.LIMIT);
        // settings are checked wherever they are written, even where no limit applies
        int status = status(scope);
        Severity level = logLevel(scope);
        boolean dryRun = dryRun(scope);
        if (limits.isEmpty()) {
            return List.of();
        }
        List<LimitRule> rules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Directive d : limits) {
            LimitRule r = rule(d);
            if (!seen.add(r.zone().name())) {
                throw d.error("\"%s\" directive is duplicate", d.name());
            }
            rules.add(r);
        }
        return List.of(new LimitReqHandler(new LimitReqPolicy(rules, status, level, dryRun)));
    }

    private LimitRule rule(Directive d) throws ConfigException {
        String zoneName = null;
        long burst = 0;
        long delay = 0;
        for (String a : d.args()) {
            if (a.startsWith("zone=")) {
                zoneName = a.substring(5);
            } else if (a.startsWith("burst=")) {
                burst = LimitReqZoneConf.number(a.substring(6));
                if (burst <= 0) {
                    throw d.error("invalid burst value \"%s\"", a);
                }
            } else if (a.startsWith("delay=")) {
                delay = LimitReqZoneConf.number(a.substring(6));
                if (delay <= 0) {
                    throw d.error("invalid delay value \"%s\"", a);
                }
                delay *= 1000;
            } else if (a.equals("nodelay")) {
                delay = LimitRule.NO_DELAY;
            } else {
                throw d.error("invalid parameter \"%s\"", a);
            }
        }
        if (zoneName == null) {
            throw d.error("\"%s\" must have \"zone\" parameter", d.name());
        }
        LimitReqZone zone = zones.get(zoneName);
        ComplexValue key = keys.get(zoneName);
        if (zone == null || key == null) {
            throw d.error("zero size shared memory zone \"%s\"", zoneName);
        }
        return new LimitRule(zone, key, burst * 1000, delay);
    }

    private static int status(Scope scope) throws ConfigException {
        Directive d = scope.effectiveFirst(LimitReqModule.STATUS);
        return d == null ? 503 : Values.rejectStatus(d);
    }

    private static Severity logLevel(Scope scope) throws ConfigException {
        Directive d = scope.effectiveFirst(LimitReqModule.LOG_LEVEL);
        return d == null ? Severity.ERROR : Severity.limitLogLevel(d);
    }

    private static boolean dryRun(Scope scope) throws ConfigException {
        Directive d = scope.effectiveFirst(LimitReqModule.DRY_RUN);
        return d != null && Values.flag(d);
    }
}
