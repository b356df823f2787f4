package io.zonesync.http.proxycache;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.LogHandler;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.log.ErrnoText;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The keys zones of one configuration ({@code proxy_cache_path}) and the compiling of each
 * proxied location's cache settings. Each zone is filled from its directory in the background
 * when the configuration is compiled ({@link CacheLoader}).
 */
public final class CacheZones {
    private static final String DEFAULT_KEY = "$scheme$proxy_host$request_uri";
    private static final List<String> STALE_WORDS = List.of("error", "timeout", "invalid_header", "updating",
            "http_500", "http_502", "http_503", "http_504", "http_403", "http_404", "http_429");

    private final Map<String, CacheZone> zones;

    private CacheZones(Map<String, CacheZone> zones) {
        this.zones = zones;
    }

    /**
     * The zones of the http block's {@code proxy_cache_path} lines; starts loading each from disk.
     * Each is attached to its purges (of the node's zones, by name), which carry out peers' purges on it,
     * and counts into the figures the configuration in force ({@code inForce}) kept for its name.
     */
    public static CacheZones compile(CompileScope http, Clock clock, Map<String, CachePurges> purges,
            CacheReports inForce) throws ConfigException {
        Map<String, CacheZone> zones = new LinkedHashMap<>();
        for (Directive d : http.scope().block().all("proxy_cache_path")) {
            CachePath p = CachePath.parse(d, http.config().prefix());
            createDirectory(d, p.dir());
            if (zones.containsKey(p.zone())) {
                throw d.error("duplicate zone \"%s\"", p.zone());
            }
            zones.put(p.zone(), new CacheZone(p, clock, inForce.statsFor(p.zone())));
        }
        zones.forEach((name, zone) -> {
            CachePurges shared = purges.get(name);
            if (shared != null) {
                shared.attach(zone);
            }
        });
        zones.values().forEach(CacheLoader::start);
        return new CacheZones(zones);
    }

    /** These caches' reports, for the node to show once this configuration is in force. */
    public CacheReports reports() {
        return new CacheReports(zones);
    }

    /**
     * Creates the cache directory (its last component, as nginx's {@code mkdir()}) when the
     * configuration is read, at {@code -t} too, as nginx does, so that a path that cannot be one
     * fails the test and the start rather than the first response stored.
     */
    private static void createDirectory(Directive d, Path dir) throws ConfigException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            return; // a directory already (or, as for nginx, something in its place: the first store says so)
        } catch (IOException e) {
            throw d.error("mkdir() \"%s\" failed (%s)", dir, ErrnoText.of(e));
        }
    }

    /** Whether the configuration has a cache (whose requests are then counted). */
    public boolean any() {
        return !zones.isEmpty();
    }

    /** A server's log handler: counts each request that used a cache into its zone's figures. */
    public static LogHandler counting() {
        return CacheStats.COUNT;
    }

    /** The location's cache settings, or null when {@code proxy_cache} is off there. */
    public CachePolicy policy(CompileScope cs) throws ConfigException {
        Directive cache = cs.scope().effectiveFirst("proxy_cache");
        if (cache == null || cache.arg(0).equals("off")) {
            return null;
        }
        if (ComplexValue.hasVariables(cache.arg(0))) {
            throw cache.error("variables in \"proxy_cache\" are not supported");
        }
        CacheZone zone = zones.get(cache.arg(0));
        if (zone == null) {
            throw cache.error("\"proxy_cache\" zone \"%s\" is unknown", cache.arg(0));
        }
        Directive keyLine = cs.scope().effectiveFirst("proxy_cache_key");
        ComplexValue key = keyLine == null ? cs.compile(cache, DEFAULT_KEY) : cs.compile(keyLine, keyLine.arg(0));
        Set<String> methods = new HashSet<>(List.of("GET", "HEAD"));
        Directive m = cs.scope().effectiveFirst("proxy_cache_methods");
        if (m != null) {
            for (String a : m.args()) {
                if (!List.of("GET", "HEAD", "POST").contains(a)) {
                    throw m.error("invalid value \"%s\"", a);
                }
                methods.add(a);
            }
        }
        int minUses = 1;
        Directive mu = cs.scope().effectiveFirst("proxy_cache_min_uses");
        if (mu != null) {
            long n = Values.parseDigits(mu.arg(0));
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw mu.invalidValue(mu.arg(0));
            }
            minUses = (int) n;
        }
        Set<String> useStale = new HashSet<>();
        Directive us = cs.scope().effectiveFirst("proxy_cache_use_stale");
        if (us != null) {
            for (String a : us.args()) {
                if (a.equals("off")) {
                    useStale.clear();
                } else if (STALE_WORDS.contains(a)) {
                    useStale.add(a);
                } else {
                    throw us.error("invalid value \"%s\"", a);
                }
            }
        }
        Freshness freshness = new Freshness(valid(cs), ignored(cs));
        return new CachePolicy(zone, key, freshness, Set.copyOf(methods), values(cs, "proxy_cache_bypass"),
                values(cs, "proxy_no_cache"), minUses, Set.copyOf(useStale),
                revalidate(cs), lock(cs), flag(cs, "proxy_cache_background_update"),
                values(cs, "proxy_cache_purge"), convertHead(cs));
    }

    private static CachePolicy.Lock lock(CompileScope cs) throws ConfigException {
        CachePolicy.Lock lock = new CachePolicy.Lock(time(cs, "proxy_cache_lock_timeout"),
                time(cs, "proxy_cache_lock_age"));
        return flag(cs, "proxy_cache_lock") ? lock : null;
    }

    /** A lock time (default 5s). */
    private static long time(CompileScope cs, String name) throws ConfigException {
        Directive d = cs.scope().effectiveFirst(name);
        return d == null ? 5000 : Values.timeMs(d, d.arg(0));
    }

    /** {@code proxy_cache_convert_head}: on unless turned off. */
    private static boolean convertHead(CompileScope cs) throws ConfigException {
        Directive d = cs.scope().effectiveFirst("proxy_cache_convert_head");
        return d == null || Values.flag(d);
    }

    private static boolean revalidate(CompileScope cs) throws ConfigException {
        return flag(cs, "proxy_cache_revalidate");
    }

    private static boolean flag(CompileScope cs, String name) throws ConfigException {
        Directive d = cs.scope().effectiveFirst(name);
        return d != null && Values.flag(d);
    }

    private static List<Freshness.Valid> valid(CompileScope cs) throws ConfigException {
        List<Freshness.Valid> out = new ArrayList<>();
        for (Directive d : cs.scope().effective("proxy_cache_valid")) {
            long ms;
            try {
                ms = Values.timeMs(d, d.arg(d.argCount() - 1));
            } catch (ConfigException e) {
                throw d.error("invalid time value \"%s\"", d.arg(d.argCount() - 1));
            }
            if (d.argCount() == 1) {
                for (int status : List.of(200, 301, 302)) {
                    out.add(new Freshness.Valid(status, ms));
                }
                continue;
            }
            for (String a : d.args().subList(0, d.argCount() - 1)) {
                if (a.equals("any")) {
                    out.add(new Freshness.Valid(0, ms));
                    continue;
                }
                long status = Values.parseDigits(a);
                if (status < 100 || status > 599) {
                    throw d.error("invalid status \"%s\"", a);
                }
                out.add(new Freshness.Valid((int) status, ms));
            }
        }
        return List.copyOf(out);
    }

    private static Set<String> ignored(CompileScope cs) {
        Set<String> out = new HashSet<>();
        for (Directive d : cs.scope().effective("proxy_ignore_headers")) {
            for (String a : d.args()) {
                out.add(a.toLowerCase(Locale.ROOT));
            }
        }
        return Set.copyOf(out);
    }

    private static List<ComplexValue> values(CompileScope cs, String name) throws ConfigException {
        List<ComplexValue> out = new ArrayList<>();
        for (Directive d : cs.scope().effective(name)) {
            for (String a : d.args()) {
                out.add(cs.compile(d, a));
            }
        }
        return List.copyOf(out);
    }
}
