package io.zonesync.http.realip;

import io.zonesync.config.Arity;
import io.zonesync.config.Block;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.http.core.AccessDecision;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.core.RewriteHandler;
import io.zonesync.http.vars.CoreVariables;
import io.zonesync.http.vars.VariableRegistry;
import io.zonesync.net.ProxyHeader;
import io.zonesync.net.TrustedAddresses;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

/**
 * nginx's realip module: {@code set_real_ip_from}, {@code real_ip_header}, {@code real_ip_recursive}
 * and the variables {@code $realip_remote_addr}, {@code $realip_remote_port}; also the PROXY
 * protocol variables ({@code $proxy_protocol_addr} and the like) of {@code listen ... proxy_protocol},
 * which nginx's http core defines. The settings of a server (with http's) apply as the request is
 * read, before anything else sees the client address; a location's apply before its preaccess
 * phase (limit_req, then allow/deny), when the server's did not.
 */
public final class RealIpModule implements ConfModule, HttpFeature {
    /**
     * The trusted addresses of each set of {@code set_real_ip_from} lines, by their first line (a
     * directive is its own identity): parsed, warned about and resolved once per configuration
     * read, though every level inheriting them asks. Weak, so a configuration's entries go with it.
     */
    private final Map<Directive, TrustedAddresses> trustedByLevel = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_realip_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("set_real_ip_from", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("real_ip_header", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("real_ip_recursive", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
    }

    @Override
    public void defineVariables(VariableRegistry v) {
        v.define("realip_remote_addr", req -> CoreVariables.addressText(req.connectionAddress()));
        v.define("realip_remote_port", req -> CoreVariables.portText(req.connectionAddress()));
        v.define("proxy_protocol_addr", req -> header(req.proxyProtocol(), true, true));
        v.define("proxy_protocol_port", req -> header(req.proxyProtocol(), true, false));
        v.define("proxy_protocol_server_addr", req -> header(req.proxyProtocol(), false, true));
        v.define("proxy_protocol_server_port", req -> header(req.proxyProtocol(), false, false));
    }

    private static String header(ProxyHeader h, boolean source, boolean address) {
        if (h == null) {
            return null;
        }
        if (address) {
            return source ? h.sourceAddress() : h.destinationAddress();
        }
        int port = source ? h.sourcePort() : h.destinationPort();
        return port > 0 ? Integer.toString(port) : "";
    }

    /**
     * Checks every realip directive of the http block, as nginx does when it reads them, also where
     * no server or location would ask (an http-level line with no server).
     */
    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        check(http.scope().block());
    }

    private void check(Block block) throws ConfigException {
        List<Directive> from = block.all("set_real_ip_from");
        if (!from.isEmpty() && !trustedByLevel.containsKey(from.get(0))) {
            trustedByLevel.put(from.get(0), TrustedAddresses.parse(from));
        }
        for (Directive d : block.directives()) {
            if (d.name().equals("real_ip_recursive")) {
                Values.flag(d);
            }
            if (d.hasBlock()) {
                check(d.block());
            }
        }
    }

    @Override
    public List<RewriteHandler> rewriteHandlers(CompileScope level) throws ConfigException {
        if (level.locationDirective() != null) {
            return List.of();
        }
        RealIpRule rule = rule(level.scope());
        if (rule == null) {
            return List.of();
        }
        return List.of(ex -> {
            rule.apply(ex);
            return RewriteHandler.Outcome.NEXT;
        });
    }

    @Override
    public List<AccessHandler> accessHandlers(CompileScope location) throws ConfigException {
        RealIpRule rule = rule(location.scope());
        if (rule == null) {
            return List.of();
        }
        return List.of(new AccessHandler() {
            @Override
            public Phase phase() {
                return Phase.PREACCESS;
            }

            @Override
            public AccessDecision check(HttpExchange ex) {
                rule.apply(ex);
                return AccessDecision.proceed();
            }
        });
    }

    /** The settings in effect at a level, or null when it trusts nobody. */
    private RealIpRule rule(Scope scope) throws ConfigException {
        List<Directive> from = scope.effective("set_real_ip_from");
        TrustedAddresses trusted = from.isEmpty() ? TrustedAddresses.parse(from) : trustedByLevel.get(from.get(0));
        if (trusted == null) {
            trusted = TrustedAddresses.parse(from);
            trustedByLevel.put(from.get(0), trusted);
        }
        Directive header = scope.effectiveFirst("real_ip_header");
        Directive recursive = scope.effectiveFirst("real_ip_recursive");
        boolean isRecursive = recursive != null && Values.flag(recursive);
        if (trusted.isEmpty()) {
            return null;
        }
        return new RealIpRule(trusted, header == null ? RealIpSource.DEFAULT : RealIpSource.parse(header.arg(0)),
                isRecursive);
    }
}
