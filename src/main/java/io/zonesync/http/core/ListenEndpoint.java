package io.zonesync.http.core;

import io.zonesync.tls.ListenerTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;

/**
 * One socket to listen on and the servers behind it. When a wildcard ({@code listen 80}) and
 * specific addresses ({@code listen 127.0.0.1:80}) share a port, nginx binds only the wildcard and
 * picks the servers by the address a connection arrived on: {@code byLocalAddress} holds those
 * specific addresses' tables, {@code servers} the wildcard's. {@code tls} is null for plaintext,
 * else the TLS of {@code listen ... ssl} (the servers' {@code ssl_*}). {@code proxyProtocol} says
 * whether connections to the socket's own address begin with a PROXY protocol header,
 * {@code proxyProtocolAt} which of the specific addresses want one (as nginx, any listen of an
 * address with {@code proxy_protocol} makes the address read it). {@code http2} is null when the
 * socket speaks HTTP/1.x only, else its HTTP/2 settings.
 */
public record ListenEndpoint(Listen listen, ServerTable servers, Map<InetAddress, ServerTable> byLocalAddress,
        ListenerTls tls, boolean proxyProtocol, Set<InetAddress> proxyProtocolAt, Http2Options http2) {

    public ListenEndpoint {
        byLocalAddress = Map.copyOf(byLocalAddress);
        proxyProtocolAt = Set.copyOf(proxyProtocolAt);
    }

    /** A plaintext endpoint without PROXY protocol. */
    public ListenEndpoint(Listen listen, ServerTable servers, Map<InetAddress, ServerTable> byLocalAddress) {
        this(listen, servers, byLocalAddress, null, false, Set.of(), null);
    }

    /** Whether a connection that arrived on {@code local} begins with a PROXY protocol header. */
    public boolean proxyProtocolFor(SocketAddress local) {
        if (!byLocalAddress.isEmpty() && local instanceof InetSocketAddress inet
                && byLocalAddress.containsKey(inet.getAddress())) {
            return proxyProtocolAt.contains(inet.getAddress());
        }
        return proxyProtocol;
    }

    public ListenAddress address() {
        return listen.address();
    }

    /** The servers for a connection that arrived on {@code local}. */
    public ServerTable serversFor(SocketAddress local) {
        if (!byLocalAddress.isEmpty() && local instanceof InetSocketAddress inet) {
            ServerTable t = byLocalAddress.get(inet.getAddress());
            if (t != null) {
                return t;
            }
        }
        return servers;
    }
}
