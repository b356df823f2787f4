package io.zonesync.http.realip;

import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.net.ForwardedAddress;
import io.zonesync.net.ProxyHeader;
import io.zonesync.net.TrustedAddresses;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The realip settings in effect at one level ({@code set_real_ip_from}, {@code real_ip_header},
 * {@code real_ip_recursive}) and their application to a request: when the connection's peer is
 * trusted and the source names a valid client, the request is served as coming from that client.
 * Applied once per request: the server level's before the server's rewrite steps (nginx's
 * post-read phase), a location's before its preaccess handlers when the server's did not apply.
 */
record RealIpRule(TrustedAddresses trusted, RealIpSource source, boolean recursive) {

    /** Set on a request once realip replaced its client address. */
    static final AttributeKey<Boolean> APPLIED = AttributeKey.named("realip applied");

    /** Applies the rule unless an earlier level did; true when the request's client changed. */
    boolean apply(HttpExchange ex) {
        if (Boolean.TRUE.equals(ex.attribute(APPLIED))) {
            return false;
        }
        SocketAddress client = client(ex);
        if (client == null) {
            return false;
        }
        ex.realClientAddress(client);
        ex.setAttribute(APPLIED, Boolean.TRUE);
        return true;
    }

    /** The client this rule finds for the request, or null when it keeps the connection's peer. */
    SocketAddress client(HttpExchange ex) {
        SocketAddress found = ForwardedAddress.find(ex.connectionAddress(), source.values(ex), trusted, recursive);
        if (found instanceof InetSocketAddress inet && source.kind() == RealIpSource.Kind.PROXY_PROTOCOL) {
            ProxyHeader h = ex.proxyProtocol();
            return new InetSocketAddress(inet.getAddress(), h.sourcePort());
        }
        return found;
    }
}
