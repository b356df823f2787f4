package io.zonesync.http.core;

import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.http.accesslog.LogFormat;
import io.zonesync.http.vars.CoreVariables;
import io.zonesync.http.vars.SslVariables;
import io.zonesync.http.vars.VariableRegistry;
import io.zonesync.tls.ClientVerify;
import io.zonesync.tls.ListenerTls;
import io.zonesync.tls.ServerTls;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the http block of a validated configuration ({@link io.zonesync.config.DirectiveRegistry#validate}
 * has run) into an {@link HttpConfig}: listen addresses, servers and their names, location trees,
 * per-location settings, variables and access logs. Values are checked here, with FILE:LINE.
 *
 * <p>The modules' parts ({@link HttpFeature}: their variables and handlers) are given at
 * construction, in the order their handlers should run; the same compiler can compile every reload.
 */
public final class HttpConfigCompiler {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConfigCompiler.class);

    private final List<HttpFeature> features;

    public HttpConfigCompiler(List<HttpFeature> features) {
        this.features = List.copyOf(features);
    }

    public HttpConfig compile(ParsedConfig config) throws ConfigException {
        Directive http = config.root().first("http");
        if (http == null) {
            return HttpConfig.empty();
        }
        VariableRegistry variables = new VariableRegistry();
        new CoreVariables().defineVariables(variables);
        new SslVariables().defineVariables(variables);
        new LocationVariables().defineVariables(variables);
        new ExchangeVariables().defineVariables(variables);
        for (HttpFeature f : features) {
            f.defineVariables(variables);
        }
        declareNamedGroups(http.block(), variables);
        Scope httpScope = Scope.root(config.root()).child(Context.HTTP, http.block());
        CompileScope httpLevel = new CompileScope(httpScope, null, config, variables);
        for (HttpFeature f : features) {
            f.configureHttp(httpLevel);
        }
        for (HttpFeature f : features) {
            f.finishHttp(httpLevel);
        }

        Map<String, LogFormat> formats = new HashMap<>();
        formats.put("combined", LogFormat.combined(variables));
        for (Directive d : http.block().all("log_format")) {
            if (formats.putIfAbsent(d.arg(0), LogFormat.compile(d, variables)) != null) {
                throw d.error("duplicate \"log_format\" name \"%s\"", d.arg(0));
            }
        }

        LocationCompiler locations = new LocationCompiler(config, variables, features, formats);
        Http2Options.check(http.block());
        Map<String, List<Bound>> byAddress = new LinkedHashMap<>();
        for (Directive s : http.block().all("server")) {
            Scope scope = httpScope.child(Context.HTTP_SERVER, s.block());
            VirtualServer server = server(s, scope, locations, variables);
            Set<String> mine = new HashSet<>();
            List<Listen> listens = new ArrayList<>();
            boolean sslOn = sslOn(scope);
            for (Directive l : s.block().all("listen")) {
                Listen listen = sslOn ? Listen.parse(l).withSsl() : Listen.parse(l);
                if (!mine.add(listen.address().key())) {
                    throw l.error("a duplicate listen %s", listen.address().key());
                }
                listens.add(listen);
            }
            if (listens.isEmpty()) {
                listens.add(defaultListen(s));
            }
            for (Listen listen : listens) {
                byAddress.computeIfAbsent(listen.address().key(), k -> new ArrayList<>()).add(new Bound(listen, server, scope));
            }
        }
        List<ListenEndpoint> endpoints = endpoints(byAddress, config.file() != null
                && config.file().getParent() != null ? config.file().getParent() : config.prefix());
        variables.freeze();
        return new HttpConfig(endpoints, variables, locations.accessLogs());
    }

    private record Bound(Listen listen, VirtualServer server, Scope scope) {
    }

    /**
     * Declares the named groups of every server_name and location expression before anything is
     * compiled, so that any directive may use them, as in nginx. An invalid expression is reported
     * when its server or location is compiled.
     */
    private static void declareNamedGroups(Block block, VariableRegistry variables) throws ConfigException {
        for (Directive d : block.directives()) {
            if (d.name().equals("server_name")) {
                for (String n : d.args()) {
                    if (n.startsWith("~")) {
                        declareNamedGroups(d, n.substring(1), true, variables);
                    }
                }
            } else if (d.name().equals("location") && d.argCount() == 2
                    && (d.arg(0).equals("~") || d.arg(0).equals("~*"))) {
                declareNamedGroups(d, d.arg(1), d.arg(0).equals("~*"), variables);
            }
            if (d.hasBlock() && (d.name().equals("server") || d.name().equals("location"))) {
                declareNamedGroups(d.block(), variables);
            }
        }
    }

    private static void declareNamedGroups(Directive d, String source, boolean caseless, VariableRegistry variables)
            throws ConfigException {
        try {
            NginxRegex.compile(source, caseless).declareNames(d, variables);
        } catch (PatternSyntaxException e) {
            // reported, in nginx's words, when the server or location is compiled
        }
    }

    /**
     * The HTTP/2 of an address, null for none: on when any of its listens has {@code http2} (nginx
     * 1.22; plaintext then speaks HTTP/2 alone) or any of its servers {@code http2 on} (nginx 1.25;
     * plaintext then takes both, told apart by the connection preface). The settings are the
     * default server's; every server's are checked.
     */
    private static Http2Options http2(List<Bound> bounds, ServerTable table) throws ConfigException {
        boolean byListen = false;
        boolean byDirective = false;
        Http2Options chosen = null;
        for (Bound b : bounds) {
            byListen |= b.listen().http2();
            Directive d = b.scope().effectiveFirst("http2");
            byDirective |= d != null && Values.flag(d);
        }
        for (Bound b : bounds) {
            Http2Options o = Http2Options.of(b.scope(), byListen);
            if (b.server() == table.defaultServer() && chosen == null) {
                chosen = o;
            }
        }
        return byListen || byDirective ? chosen : null;
    }

    /** nginx's deprecated {@code ssl on}: every listen of the server is TLS, with nginx's warning. */
    private static boolean sslOn(Scope server) throws ConfigException {
        Directive d = server.effectiveFirst("ssl");
        if (d == null || !Values.flag(d)) {
            return false;
        }
        LOG.warn("the \"ssl\" directive is deprecated, use the \"listen ... ssl\" directive instead in {}", d.where());
        return true;
    }

    /**
     * The TLS of a socket when any of its listens has {@code ssl} (nginx makes the whole address
     * TLS): the default server's certificates, the others' chosen by SNI. Null for plaintext.
     */
    private static ListenerTls tls(List<Bound> bounds, ServerTable table, Path confDir, boolean http2)
            throws ConfigException {
        Listen ssl = null;
        for (Bound b : bounds) {
            if (b.listen().ssl()) {
                ssl = b.listen();
                break;
            }
        }
        if (ssl == null) {
            return null;
        }
        Map<VirtualServer, ServerTls> byServer = new LinkedHashMap<>();
        for (Bound b : bounds) {
            if (!byServer.containsKey(b.server())) {
                ServerTls tls = ServerTls.compileHttp(b.scope(), b.listen().ssl() ? b.listen().where()
                        : ssl.where(), confDir, http2 ? List.of("h2", "http/1.1") : List.of("http/1.1"));
                for (LogHandler h : b.server().serverConfig().logHandlers()) {
                    if (h.handshakes() != null) {
                        tls = tls.countingInto(h.handshakes());
                    }
                }
                byServer.put(b.server(), tls);
            }
        }
        Map<String, ServerTls> byName = new LinkedHashMap<>();
        for (Map.Entry<VirtualServer, ServerTls> e : byServer.entrySet()) {
            for (ServerName n : e.getKey().names()) {
                if (n.kind() == ServerName.Kind.EXACT && !n.text().isEmpty()) {
                    byName.putIfAbsent(n.text(), e.getValue());
                } else if (n.kind() == ServerName.Kind.LEADING_WILDCARD && n.text().startsWith("*.")) {
                    byName.putIfAbsent(n.text(), e.getValue());
                }
            }
        }
        return ListenerTls.of(byServer.get(table.defaultServer()), byName);
    }

    private VirtualServer server(Directive s, Scope scope, LocationCompiler locations, VariableRegistry variables)
            throws ConfigException {
        List<ServerName> names = new ArrayList<>();
        for (Directive d : s.block().all("server_name")) {
            for (String n : d.args()) {
                names.add(ServerName.parse(d, n, CoreVariables.hostname(), variables));
            }
        }
        Map<String, Location> named = new HashMap<>();
        LocationConfig serverConfig = locations.settings(scope, null, "");
        LocationTree tree = locations.locations(scope, null, named);
        return new VirtualServer(names, serverConfig, tree, named, s.where(), ClientVerify.of(scope));
    }

    private static Listen defaultListen(Directive server) {
        int port = "root".equals(System.getProperty("user.name")) ? 80 : 8000;
        return new Listen(ListenAddress.inet(null, port), false, false, Listen.DEFAULT_BACKLOG, false, null, 0, 0,
                server.where());
    }

    private List<ListenEndpoint> endpoints(Map<String, List<Bound>> byAddress, Path confDir)
            throws ConfigException {
        Map<String, ServerTable> tables = new LinkedHashMap<>();
        for (Map.Entry<String, List<Bound>> e : byAddress.entrySet()) {
            tables.put(e.getKey(), table(e.getKey(), e.getValue()));
        }
        List<ListenEndpoint> out = new ArrayList<>();
        Set<String> servedByWildcard = new HashSet<>();
        for (Map.Entry<String, List<Bound>> e : byAddress.entrySet()) {
            Listen first = e.getValue().get(0).listen();
            ListenAddress a = first.address();
            if (!a.isWildcard() || a.port() == 0) {
                continue;
            }
            Map<InetAddress, ServerTable> specific = new HashMap<>();
            Set<InetAddress> proxyProtocolAt = new HashSet<>();
            for (Map.Entry<String, List<Bound>> other : byAddress.entrySet()) {
                ListenAddress o = other.getValue().get(0).listen().address();
                if (!o.isUnix() && !o.isWildcard() && o.port() == a.port() && sameFamily(o.ip(), a.ip())
                        && other.getValue().stream().noneMatch(b -> b.listen().bind())) {
                    specific.put(o.ip(), tables.get(other.getKey()));
                    if (proxyProtocol(other.getValue())) {
                        proxyProtocolAt.add(o.ip());
                    }
                    servedByWildcard.add(other.getKey());
                }
            }
            Http2Options h2 = http2(e.getValue(), tables.get(e.getKey()));
            out.add(new ListenEndpoint(first, tables.get(e.getKey()), specific,
                    tls(e.getValue(), tables.get(e.getKey()), confDir, h2 != null), proxyProtocol(e.getValue()),
                    proxyProtocolAt, h2));
        }
        for (Map.Entry<String, List<Bound>> e : byAddress.entrySet()) {
            ListenAddress a = e.getValue().get(0).listen().address();
            if ((a.isWildcard() && a.port() != 0) || servedByWildcard.contains(e.getKey())) {
                continue;
            }
            Http2Options h2 = http2(e.getValue(), tables.get(e.getKey()));
            out.add(new ListenEndpoint(socketOptions(e.getValue()), tables.get(e.getKey()), Map.of(),
                    tls(e.getValue(), tables.get(e.getKey()), confDir, h2 != null), proxyProtocol(e.getValue()),
                    Set.of(), h2));
        }
        return out;
    }

    /** Whether an address reads PROXY protocol: as in nginx, when any of its listens says so. */
    private static boolean proxyProtocol(List<Bound> bounds) {
        return bounds.stream().anyMatch(b -> b.listen().proxyProtocol());
    }

    private static boolean sameFamily(InetAddress x, InetAddress y) {
        return (x instanceof Inet4Address) == (y instanceof Inet4Address);
    }

    /** The listen whose options the socket takes: the one that sets options, else the first. */
    private static Listen socketOptions(List<Bound> bounds) {
        for (Bound b : bounds) {
            if (b.listen().bind()) {
                return b.listen();
            }
        }
        return bounds.get(0).listen();
    }

    private ServerTable table(String key, List<Bound> bounds) throws ConfigException {
        VirtualServer dflt = null;
        List<VirtualServer> servers = new ArrayList<>();
        for (Bound b : bounds) {
            if (b.listen().defaultServer()) {
                if (dflt != null) {
                    throw new ConfigException("a duplicate default server for " + key, b.listen().where());
                }
                dflt = b.server();
            }
            if (!servers.contains(b.server())) {
                servers.add(b.server());
            }
        }
        List<String> conflicts = new ArrayList<>();
        ServerTable t = new ServerTable(servers, dflt != null ? dflt : servers.get(0), conflicts, key);
        conflicts.forEach(LOG::warn);
        return t;
    }
}
