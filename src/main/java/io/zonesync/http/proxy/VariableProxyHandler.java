package io.zonesync.http.proxy;

import io.zonesync.config.SourceLocation;
import io.zonesync.http.core.ContentHandler;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.upstream.HostPort;
import io.zonesync.http.upstream.ServerSpec;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamSpec;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.CoreVariables;
import io.zonesync.net.ResolverConf;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.net.dns.RuntimeNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content handler of a {@code proxy_pass} with variables: the URL is evaluated per request;
 * its host names an upstream block when one has that name (and no port is given), else it is an
 * address, a unix socket ({@code unix:PATH:/uri}), or a name looked up through {@code resolver} ("no resolver defined to resolve HOST" and
 * 502 without one, as nginx). A URI part replaces the whole request URI, as nginx does for such a
 * {@code proxy_pass}; without one the request URI goes as for a plain {@code proxy_pass}.
 * Addresses found at run time make a group for the one request (no keep-alive, no statistics);
 * looked-up answers are kept for their TTL.
 */
final class VariableProxyHandler implements ContentHandler {
    private static final Logger LOG = LoggerFactory.getLogger(VariableProxyHandler.class);

    /** What a location compiles to, the same for every request. */
    record Target(ComplexValue url, boolean https, Map<String, UpstreamGroup> groups, ResolverConf resolver,
            ResolverZones resolvers, ProxySettings settings, RedirectRewrite redirects, ProxyTls tls, Clock clock, SourceLocation where) {
    }

    private final Target target;

    VariableProxyHandler(Target target) {
        this.target = target;
    }

    @Override
    public BodyMode bodyMode() {
        return target.settings().namesRequestBody() ? BodyMode.READ_THEN_STREAM : BodyMode.STREAM;
    }

    @Override
    public void handle(HttpExchange ex) {
        String url = target.url().evaluate(ex);
        String scheme = target.https() ? "https://" : "http://";
        if (url == null || !url.regionMatches(true, 0, scheme, 0, scheme.length())) {
            LOG.error(ex.errorLog(), "invalid URL prefix in \"{}\"", url);
            ex.sendError(500);
            return;
        }
        String rest = url.substring(scheme.length());
        if (rest.regionMatches(true, 0, "unix:", 0, 5) && rest.length() > 5) {
            int colon = rest.indexOf(':', 5);
            String path = colon < 0 ? rest.substring(5) : rest.substring(5, colon);
            String name = "unix:" + path;
            start(ex, group(name, List.of(ServerSpec.unixAddress(path))), "localhost",
                    colon < 0 ? null : rest.substring(colon + 1));
            return;
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String uriPart = slash < 0 ? null : rest.substring(slash);
        HostPort hp = HostPort.parse(hostPort, target.https() ? 443 : 80);
        if (hp == null) {
            LOG.error(ex.errorLog(), "invalid port in upstream \"{}\"", hostPort);
            ex.sendError(500);
            return;
        }
        UpstreamGroup named = hp.explicitPort() ? null : target.groups().get(hp.host());
        if (named != null) {
            start(ex, named, hostPort, uriPart);
            return;
        }
        InetAddress literal = literal(hp.host());
        if (literal != null) {
            start(ex, oneOff(hostPort, List.of(literal), hp.port()), hostPort, uriPart);
            return;
        }
        if (target.resolver() == null) {
            LOG.error(ex.errorLog(), "no resolver defined to resolve {}, client: {}, request: \"{} {}\"", hp.host(),
                    CoreVariables.addressText(ex.remoteAddress()), ex.method(), ex.requestUri());
            ex.sendError(502);
            return;
        }
        RuntimeNames.resolve(target.resolver(), target.resolvers(), hp.host(), target.clock()).whenComplete((r, failure) -> ex.eventLoop().execute(() -> {
            if (failure != null || r.addresses().isEmpty()) {
                LOG.error(ex.errorLog(), "{} could not be resolved ({}), client: {}, request: \"{} {}\"", hp.host(),
                        failure != null ? failure.getMessage() : r.failure(), CoreVariables.addressText(ex.remoteAddress()), ex.method(),
                        ex.requestUri());
                ex.sendError(502);
            } else {
                start(ex, oneOff(hostPort, r.addresses(), hp.port()), hostPort, uriPart);
            }
        }));
    }

    private void start(HttpExchange ex, UpstreamGroup group, String hostPort, String uriPart) {
        // a URI part replaces the request's whole URI: no location prefix to cut (null)
        ProxyRoute route = new ProxyRoute(group, hostPort, uriPart, uriPart == null ? "" : null, target.settings(),
                target.redirects(), target.tls());
        new ProxiedRequest(ex, route, ex.nowMillis(), null).start();
    }

    private UpstreamGroup oneOff(String hostPort, List<InetAddress> addresses, int port) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : addresses) {
            out.add(new InetSocketAddress(a, port));
        }
        return group(hostPort, out);
    }

    private UpstreamGroup group(String name, List<InetSocketAddress> addresses) {
        List<ServerSpec> servers = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            servers.add(new ServerSpec(name, a, 1, ServerSpec.DEFAULT_MAX_FAILS, ServerSpec.DEFAULT_FAIL_TIMEOUT_MS, 0,
                    false, false, null, target.where()));
        }
        return new UpstreamGroup(UpstreamSpec.implicit(name, servers, target.where()), target.clock());
    }

    /** The address an IP literal names, or null for a host name. */
    private static InetAddress literal(String host) {
        boolean v4 = host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!v4 && host.indexOf(':') < 0) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "proxy_pass with variables";
    }
}
