package io.zonesync.http.core;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.SourceLocation;
import io.zonesync.config.Values;

/**
 * One {@code listen} directive: the address and the socket options nginx allows there.
 * {@code default_server} (or the old {@code default}) marks the server used when no name matches;
 * {@code bind} asks for a socket of its own even when a wildcard on the same port exists;
 * {@code proxy_protocol} says connections begin with a PROXY protocol header; {@code http2} that
 * the address speaks HTTP/2 (negotiated by ALPN over TLS, alone on plaintext, as nginx 1.22).
 */
public record Listen(ListenAddress address, boolean defaultServer, boolean bind, int backlog, boolean reusePort,
        Boolean ipv6only, int receiveBuffer, int sendBuffer, SourceLocation where, boolean ssl,
        boolean proxyProtocol, boolean http2) {

    /** The same listen with {@code ssl} ({@code ssl on} in its server). */
    Listen withSsl() {
        return new Listen(address, defaultServer, bind, backlog, reusePort, ipv6only, receiveBuffer, sendBuffer, where,
                true, proxyProtocol, http2);
    }

    /** A listen without TLS or PROXY protocol. */
    public Listen(ListenAddress address, boolean defaultServer, boolean bind, int backlog, boolean reusePort,
            Boolean ipv6only, int receiveBuffer, int sendBuffer, SourceLocation where) {
        this(address, defaultServer, bind, backlog, reusePort, ipv6only, receiveBuffer, sendBuffer, where, false,
                false, false);
    }

    /** nginx's default backlog on Linux. */
    public static final int DEFAULT_BACKLOG = 511;

    public static Listen parse(Directive d) throws ConfigException {
        ListenAddress address = ListenAddress.parse(d, d.arg(0));
        boolean defaultServer = false;
        boolean bind = false;
        int backlog = DEFAULT_BACKLOG;
        boolean reusePort = false;
        Boolean ipv6only = null;
        int rcvbuf = 0;
        int sndbuf = 0;
        boolean ssl = false;
        boolean proxyProtocol = false;
        boolean http2 = false;
        for (String p : d.args().subList(1, d.argCount())) {
            String v;
            if (p.equals("default_server") || p.equals("default")) {
                defaultServer = true;
            } else if (p.equals("bind")) {
                bind = true;
            } else if (p.equals("reuseport")) {
                reusePort = true;
                bind = true;
            } else if (p.equals("deferred") || p.startsWith("so_keepalive=") || p.startsWith("fastopen=")
                    || p.startsWith("accept_filter=")) {
                // kernel tuning nginx offers; accepted, not applied
            } else if ((v = Values.param(p, "backlog")) != null) {
                backlog = intParam(d, p, v);
                bind = true;
            } else if ((v = Values.param(p, "rcvbuf")) != null) {
                rcvbuf = (int) Math.min(Integer.MAX_VALUE, Values.size(d, v));
                bind = true;
            } else if ((v = Values.param(p, "sndbuf")) != null) {
                sndbuf = (int) Math.min(Integer.MAX_VALUE, Values.size(d, v));
                bind = true;
            } else if ((v = Values.param(p, "ipv6only")) != null) {
                if (!v.equals("on") && !v.equals("off")) {
                    throw d.error("invalid ipv6only flags \"%s\"", v);
                }
                ipv6only = v.equals("on");
                bind = true;
            } else if (p.equals("ssl")) {
                ssl = true;
            } else if (p.equals("proxy_protocol")) {
                proxyProtocol = true;
            } else if (p.equals("http2")) {
                http2 = true;
            } else if (p.equals("quic")) {
                throw d.error("the \"quic\" parameter of the \"listen\" directive is not supported yet");
            } else {
                throw d.error("invalid parameter \"%s\"", p);
            }
        }
        return new Listen(address, defaultServer, bind, backlog, reusePort, ipv6only, rcvbuf, sndbuf, d.where(), ssl,
                proxyProtocol, http2);
    }

    private static int intParam(Directive d, String param, String value) throws ConfigException {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw d.error("invalid %s \"%s\"", param.substring(0, param.indexOf('=')), value);
    }
}
