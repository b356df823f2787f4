package io.zonesync.http.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.tls.UpstreamTls;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * TLS of one {@code proxy_pass https://} location: the {@code proxy_ssl_*} context and
 * {@code proxy_ssl_name}, the name checked and sent as SNI, evaluated per request (by default the
 * host of {@code proxy_pass}, as nginx).
 */
record ProxyTls(UpstreamTls tls, ComplexValue name) {

    static ProxyTls compile(CompileScope location, Directive pass, String defaultName) throws ConfigException {
        var parsed = location.config();
        Path confDir = parsed.file() != null && parsed.file().getParent() != null ? parsed.file().getParent()
                : parsed.prefix();
        Directive n = location.scope().effectiveFirst("proxy_ssl_name");
        ComplexValue name = location.compile(n == null ? pass : n, n == null ? defaultName : n.arg(0));
        return new ProxyTls(UpstreamTls.compile(location.scope(), confDir, pass), name);
    }

    /** The name for this request: {@code proxy_ssl_name} with any port left off. */
    String nameFor(HttpExchange ex) {
        String v = name.evaluate(ex);
        if (v == null) {
            return "";
        }
        int colon = v.lastIndexOf(':');
        return colon > 0 && v.indexOf(']') < colon && v.chars().filter(c -> c == ':').count() == 1
                ? v.substring(0, colon) : v;
    }

    SslHandler handler(ByteBufAllocator alloc, String name, InetSocketAddress peer, long timeoutMs) {
        return tls.newHandler(alloc, name, peer.getAddress() == null ? peer.getHostString()
                : peer.getAddress().getHostAddress(), peer.getPort(), timeoutMs);
    }
}
