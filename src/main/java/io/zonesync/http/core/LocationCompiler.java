package io.zonesync.http.core;

import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.http.accesslog.AccessLog;
import io.zonesync.http.accesslog.LogFormat;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;
import io.zonesync.log.ErrorLogRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Marker;

/**
 * Compiles the locations of a server and the settings of each level ({@link LocationConfig}),
 * applying nginx's inheritance and asking the features for handlers. One instance per
 * configuration compile.
 */
final class LocationCompiler {
    static final long DEFAULT_CLIENT_MAX_BODY_SIZE = 1024 * 1024;
    static final int DEFAULT_BODY_BUFFER_SIZE = 16 * 1024;
    static final long DEFAULT_KEEPALIVE_TIMEOUT_MS = 75_000;
    static final long DEFAULT_KEEPALIVE_REQUESTS = 1000;

    private final ParsedConfig config;
    private final VariableRegistry variables;
    private final List<HttpFeature> features;
    private final Map<String, LogFormat> formats;
    private final AccessLog defaultLog;
    private final Set<AccessLog> allLogs = new HashSet<>();

    LocationCompiler(ParsedConfig config, VariableRegistry variables, List<HttpFeature> features,
            Map<String, LogFormat> formats) {
        this.config = config;
        this.variables = variables;
        this.features = features;
        this.formats = formats;
        this.defaultLog = new AccessLog(config.resolve("logs/access.log"), formats.get("combined"), 0, 0, null);
    }

    Set<AccessLog> accessLogs() {
        return allLogs;
    }

    /** The locations directly in {@code scope}'s block (recursively compiled), and its named ones. */
    LocationTree locations(Scope scope, Directive parent, Map<String, Location> named) throws ConfigException {
        List<Location> here = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Directive d : scope.block().all("location")) {
            Location l = location(d, scope, parent, named);
            if (l.kind() != Location.Kind.NAMED) {
                String id = (l.kind() == Location.Kind.EXACT ? "=" : l.kind().isRegex() ? "~" + l.kind() : "")
                        + l.pattern();
                if (!l.kind().isRegex() && !seen.add(id)) {
                    throw d.error("duplicate location \"%s\"", l.pattern());
                }
                here.add(l);
            }
        }
        return here.isEmpty() ? LocationTree.EMPTY : new LocationTree(here);
    }

    private Location location(Directive d, Scope parentScope, Directive parent, Map<String, Location> named)
            throws ConfigException {
        Location.Kind kind;
        String pattern;
        if (d.argCount() == 2) {
            pattern = d.arg(1);
            kind = switch (d.arg(0)) {
                case "=" -> Location.Kind.EXACT;
                case "~" -> Location.Kind.REGEX;
                case "~*" -> Location.Kind.REGEX_CASELESS;
                case "^~" -> Location.Kind.PREFIX_NO_REGEX;
                default -> throw d.error("invalid location modifier \"%s\"", d.arg(0));
            };
        } else {
            String a = d.arg(0);
            if (a.startsWith("=")) {
                kind = Location.Kind.EXACT;
                pattern = a.substring(1);
            } else if (a.startsWith("^~")) {
                kind = Location.Kind.PREFIX_NO_REGEX;
                pattern = a.substring(2);
            } else if (a.startsWith("~*")) {
                kind = Location.Kind.REGEX_CASELESS;
                pattern = a.substring(2);
            } else if (a.startsWith("~")) {
                kind = Location.Kind.REGEX;
                pattern = a.substring(1);
            } else if (a.startsWith("@")) {
                kind = Location.Kind.NAMED;
                pattern = a;
            } else {
                kind = Location.Kind.PREFIX;
                pattern = a;
            }
        }
        if (pattern.isEmpty()) {
            throw d.error("invalid number of arguments in \"location\" directive");
        }
        if (parent != null) {
            String parentName = locationName(parent);
            if (kind == Location.Kind.NAMED) {
                throw d.error("named location \"%s\" can be on the server level only", pattern);
            }
            if (parentName.startsWith("@")) {
                throw d.error("location \"%s\" cannot be inside the named location \"%s\"", pattern, parentName);
            }
            if (isExact(parent)) {
                throw d.error("location \"%s\" cannot be inside the exact location \"%s\"", pattern, parentName);
            }
            if (!kind.isRegex() && !pattern.startsWith(parentName)) {
                throw d.error("location \"%s\" is outside location \"%s\"", pattern, parentName);
            }
        }
        NginxRegex regex = null;
        if (kind.isRegex()) {
            regex = NginxRegex.compile(d, pattern, kind == Location.Kind.REGEX_CASELESS, variables, " in location");
        }
        Scope scope = parentScope.child(Context.HTTP_LOCATION, d.block());
        LocationConfig settings = settings(scope, d, (kind == Location.Kind.PREFIX ? "" : kind.modifier() + " ") + pattern);
        LocationTree nested = locations(scope, d, named);
        Location l = new Location(kind, pattern, regex, settings, nested);
        if (kind == Location.Kind.NAMED && named.putIfAbsent(pattern, l) != null) {
            throw d.error("duplicate location \"%s\"", pattern);
        }
        return l;
    }

    private static String locationName(Directive d) {
        String a = d.arg(d.argCount() - 1);
        if (d.argCount() == 1) {
            for (String m : List.of("^~", "~*", "=", "~")) {
                if (a.startsWith(m)) {
                    return a.substring(m.length());
                }
            }
        }
        return a;
    }

    /** Whether a location's name as written ({@code ~ re}, {@code ~* re}) is a regular expression. */
    private static boolean isRegexName(String name) {
        return name.startsWith("~ ") || name.startsWith("~* ");
    }

    private static boolean isExact(Directive d) {
        return d.argCount() == 2 ? d.arg(0).equals("=") : d.arg(0).startsWith("=");
    }

    /** The settings of a server ({@code location == null}) or location scope. */
    LocationConfig settings(Scope scope, Directive location, String name) throws ConfigException {
        CompileScope cs = new CompileScope(scope, location, config, variables);
        Directive rootD = scope.effectiveFirst("root");
        ComplexValue root = rootD == null ? ComplexValue.constant("html") : cs.compile(rootD, rootD.arg(0));
        Directive aliasD = scope.block().first("alias");
        ComplexValue alias = null;
        String aliasPrefix = null;
        if (aliasD != null) {
            if (scope.block().has("root")) {
                throw aliasD.error("\"alias\" directive is duplicate, \"root\" directive was specified earlier");
            }
            alias = cs.compile(aliasD, aliasD.arg(0));
            aliasPrefix = isRegexName(name) ? null : locationName(location);
            if (aliasPrefix == null && alias.isConstant()) {
                throw aliasD.error("the \"alias\" directive in a regex location must use captures");
            }
        }

        long maxBody = DEFAULT_CLIENT_MAX_BODY_SIZE;
        Directive mb = scope.effectiveFirst("client_max_body_size");
        if (mb != null) {
            maxBody = Values.size(mb, mb.arg(0));
        }

        LocationConfig.HeaderBuffers headerBuffers = LocationConfig.HeaderBuffers.DEFAULT;
        Directive hb = scope.effectiveFirst("large_client_header_buffers");
        if (hb != null) {
            int number = Values.positiveInt(hb, hb.arg(0));
            long size = Values.size(hb, hb.arg(1));
            if (size < 1 || size > HttpRuntime.MAX_HEADER_BYTES || (long) number * size > HttpRuntime.MAX_HEADER_BYTES) {
                throw hb.error("\"large_client_header_buffers\" of %s %s is outside what zonesync reads: the size and"
                        + " the total at most %d bytes", hb.arg(0), hb.arg(1), HttpRuntime.MAX_HEADER_BYTES);
            }
            headerBuffers = new LocationConfig.HeaderBuffers(number, (int) size);
        }

        LocationConfig.Timeouts timeouts = new LocationConfig.Timeouts(
                timeout(scope, "client_header_timeout", LocationConfig.Timeouts.DEFAULT.clientHeaderMs()),
                timeout(scope, "client_body_timeout", LocationConfig.Timeouts.DEFAULT.clientBodyMs()),
                timeout(scope, "send_timeout", LocationConfig.Timeouts.DEFAULT.sendMs()));

        long keepaliveMs = DEFAULT_KEEPALIVE_TIMEOUT_MS;
        long keepaliveHeader = -1;
        Directive ka = scope.effectiveFirst("keepalive_timeout");
        if (ka != null) {
            keepaliveMs = Values.timeMs(ka, ka.arg(0));
            if (ka.argCount() == 2) {
                keepaliveHeader = Values.timeMs(ka, ka.arg(1)) / 1000;
            }
        }
        long keepaliveRequests = DEFAULT_KEEPALIVE_REQUESTS;
        Directive kr = scope.effectiveFirst("keepalive_requests");
        if (kr != null) {
            keepaliveRequests = kr.arg(0).equals("0") ? 0 : Values.positiveInt(kr, kr.arg(0));
        }

        List<Block> typeBlocks = new ArrayList<>();
        for (Directive d : scope.effective("types")) {
            typeBlocks.add(d.block());
        }
        MimeTypes types = typeBlocks.isEmpty() ? MimeTypes.BUILT_IN : MimeTypes.of(typeBlocks);
        Directive dt = scope.effectiveFirst("default_type");
        String defaultType = dt == null ? "text/plain" : dt.arg(0);

        List<RewriteHandler> rewrites = new ArrayList<>();
        List<HeaderFilter> headerFilters = new ArrayList<>();
        List<LogHandler> logHandlers = new ArrayList<>();
        for (HttpFeature f : features) {
            rewrites.addAll(f.rewriteHandlers(cs));
            headerFilters.addAll(f.headerFilters(cs));
            logHandlers.addAll(f.logHandlers(cs));
        }
        return new LocationConfig(name, rewrites, root, config.prefix(), maxBody, headerBuffers, timeouts, keepaliveMs,
                keepaliveHeader, keepaliveRequests, types, defaultType, accessLogs(scope), errorPages(scope, cs),
                flag(scope, "server_tokens", true), flag(scope, "absolute_redirect", true),
                flag(scope, "port_in_redirect", true), contentHandler(cs), accessHandlers(cs), headerFilters,
                logHandlers, scope.block().has("internal"), alias, aliasPrefix, bodyBufferSize(scope),
                errorLog(scope));
    }

    /**
     * The {@code error_log}s of the nearest level that has any, from http down; null when that is
     * the main context (its logs are the process's own).
     */
    private Marker errorLog(Scope scope) throws ConfigException {
        for (Scope s = scope; s != null && s.context() != Context.MAIN; s = s.parent()) {
            List<Directive> logs = s.block().all("error_log");
            if (!logs.isEmpty()) {
                return ErrorLogRoute.compile(logs, config::resolve).marker();
            }
        }
        return null;
    }

    /** {@code client_body_buffer_size}: how much of a body {@code $request_body} holds; nginx's default on 64-bit. */
    private static int bodyBufferSize(Scope scope) throws ConfigException {
        Directive d = scope.effectiveFirst("client_body_buffer_size");
        if (d == null) {
            return DEFAULT_BODY_BUFFER_SIZE;
        }
        long size = Values.size(d, d.arg(0));
        if (size > Integer.MAX_VALUE) {
            throw d.invalidValue(d.arg(0));
        }
        return (int) size;
    }

    private static long timeout(Scope scope, String name, long dflt) throws ConfigException {
        Directive d = scope.effectiveFirst(name);
        return d == null ? dflt : Values.positiveTimeMs(d, d.arg(0));
    }

    private static boolean flag(Scope scope, String name, boolean dflt) throws ConfigException {
        Directive d = scope.effectiveFirst(name);
        return d == null ? dflt : Values.flag(d);
    }

    private List<AccessLog> accessLogs(Scope scope) throws ConfigException {
        List<Directive> ds = scope.effective("access_log");
        if (ds.isEmpty()) {
            allLogs.add(defaultLog);
            return List.of(defaultLog);
        }
        List<AccessLog> logs = new ArrayList<>();
        for (Directive d : ds) {
            if (d.arg(0).equals("off")) {
                if (d.argCount() > 1) {
                    throw d.error("invalid parameter \"%s\"", d.arg(1));
                }
                return List.of();
            }
            AccessLog log = AccessLog.compile(d, formats, config, variables);
            allLogs.add(log);
            logs.add(log);
        }
        return logs;
    }

    private Map<Integer, ErrorPage> errorPages(Scope scope, CompileScope cs) throws ConfigException {
        Map<Integer, ErrorPage> pages = new HashMap<>();
        for (Directive d : scope.effective("error_page")) {
            List<String> args = d.args();
            int last = args.size() - 1;
            int response = -1;
            int codesEnd = last;
            String maybeOverride = args.get(last - 1);
            if (maybeOverride.startsWith("=")) {
                codesEnd = last - 1;
                String n = maybeOverride.substring(1);
                if (n.isEmpty()) {
                    response = 0;
                } else {
                    try {
                        response = Integer.parseInt(n);
                    } catch (NumberFormatException e) {
                        throw d.error("invalid value \"%s\"", maybeOverride);
                    }
                }
            }
            if (codesEnd == 0) {
                throw d.error("invalid number of arguments in \"error_page\" directive");
            }
            ErrorPage page = new ErrorPage(cs.compile(d, args.get(last)), response);
            for (String c : args.subList(0, codesEnd)) {
                int code;
                try {
                    code = Integer.parseInt(c);
                } catch (NumberFormatException e) {
                    throw d.error("invalid value \"%s\"", c);
                }
                if (code < 300 || code > 599 || code == 499) {
                    throw d.error("value \"%s\" must be between 300 and 599", c);
                }
                pages.put(code, page);
            }
        }
        return pages;
    }

    private ContentHandler contentHandler(CompileScope cs) throws ConfigException {
        for (HttpFeature f : features) {
            ContentHandler h = f.contentHandler(cs);
            if (h != null) {
                return h;
            }
        }
        return NO_CONTENT;
    }

    /** Where no module serves a location, nginx's content phase answers 403 for a directory, else 404. */
    private static final ContentHandler NO_CONTENT = new ContentHandler() {
        @Override
        public BodyMode bodyMode() {
            return BodyMode.DISCARD;
        }

        @Override
        public void handle(HttpExchange ex) {
            ex.sendError(ex.uri().endsWith("/") ? 403 : 404);
        }
    };

    private List<AccessHandler> accessHandlers(CompileScope cs) throws ConfigException {
        List<AccessHandler> all = new ArrayList<>();
        for (HttpFeature f : features) {
            all.addAll(f.accessHandlers(cs));
        }
        all.sort(Comparator.comparing(AccessHandler::phase));
        Directive satisfy = cs.scope().effectiveFirst("satisfy");
        if (satisfy != null && !satisfy.arg(0).equals("all") && !satisfy.arg(0).equals("any")) {
            throw satisfy.error("invalid value \"%s\"",
                    satisfy.arg(0));
        }
        if (satisfy == null || satisfy.arg(0).equals("all")) {
            return all;
        }
        // satisfy any: the access-phase checks decide as one
        List<AccessHandler> access = all.stream().filter(h -> h.phase() == AccessHandler.Phase.ACCESS).toList();
        if (access.size() < 2) {
            return all;
        }
        List<AccessHandler> merged = new ArrayList<>();
        for (AccessHandler h : all) {
            if (h.phase() != AccessHandler.Phase.ACCESS) {
                merged.add(h);
            } else if (h == access.get(0)) {
                merged.add(new SatisfyAny(access));
            }
        }
        return merged;
    }
}
