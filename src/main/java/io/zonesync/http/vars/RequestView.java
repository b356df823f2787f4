package io.zonesync.http.vars;

import io.zonesync.net.AddressText;
import io.zonesync.net.ProxyHeader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.slf4j.Marker;

/**
 * What a variable can see of one request: the request as received, the connection it came on,
 * the server and location chosen for it, and the response so far. Implemented by the HTTP server's
 * per-request exchange; tests may implement it directly.
 *
 * <p>Values are raw as nginx keeps them: {@link #args()} and {@link #requestUri()} are not
 * percent-decoded, {@link #uri()} is decoded and normalised.
 */
public interface RequestView {

    String method();

    /**
     * The method of the main request ({@code $request_method}, {@code $request}): a subrequest's
     * parent's, where {@link #method()} is the one the subrequest is served with.
     */
    default String mainMethod() {
        return method();
    }

    /** The request target as sent, e.g. {@code /a%20b?x=1}. */
    String requestUri();

    /** The decoded, normalised path, changed by internal redirects (index, error_page). */
    String uri();

    /** The query string without {@code ?}, or null when the request had none. */
    String args();

    /** {@code HTTP/1.0} or {@code HTTP/1.1}. */
    String protocol();

    /**
     * The host of a request whose target is in absolute form ({@code GET http://host/path}), which
     * nginx prefers to the Host header; null for the usual {@code GET /path}.
     */
    default String targetHost() {
        return null;
    }

    /** The first value of a request header (name case-insensitive), or null. */
    String header(String name);

    /** Every value of a request header, in order; empty when absent. */
    List<String> headers(String name);

    /**
     * The client: the connection's peer (an {@link java.net.InetSocketAddress}, or a unix domain
     * socket address), or the address realip found for it ({@code $remote_addr}).
     */
    SocketAddress remoteAddress();

    /**
     * The connection's own peer, whatever {@code real_ip_header} made {@link #remoteAddress()}
     * ({@code $realip_remote_addr}).
     */
    default SocketAddress connectionAddress() {
        return remoteAddress();
    }

    /**
     * The error logs this request's messages go to: the marker of its server's or location's
     * {@code error_log}s ({@code io.zonesync.log.ErrorLogRoute}), null for the main logs.
     */
    default Marker errorLog() {
        return null;
    }

    /**
     * nginx's request context after an http error log message: {@code , client: C, server: S,
     * request: "GET /x HTTP/1.1", host: "h"}.
     */
    default String errorContext() {
        SocketAddress a = remoteAddress();
        StringBuilder sb = new StringBuilder(", client: ").append(a instanceof InetSocketAddress inet
                && inet.getAddress() != null ? AddressText.ip(inet.getAddress()) : String.valueOf(a))
                .append(", server: ").append(serverName())
                .append(", request: \"").append(method()).append(' ').append(requestUri()).append(' ')
                .append(protocol()).append('"');
        String host = header("host");
        if (host != null) {
            sb.append(", host: \"").append(host).append('"');
        }
        return sb.toString();
    }

    /** The addresses of the PROXY protocol header the connection began with, or null. */
    default ProxyHeader proxyProtocol() {
        return null;
    }

    /** The local address the request arrived on. */
    SocketAddress localAddress();

    /** {@code http} (or {@code https} once TLS arrives). */
    String scheme();

    /** The first {@code server_name} of the chosen server, "" when it has none. */
    String serverName();

    /** The serial number of the connection, as {@code $connection}. */
    long connectionId();

    /** How many requests this connection has carried, this one included. */
    long connectionRequests();

    /** 32 hex digits, unique per request. */
    String requestId();

    /** The response status, 0 before one is chosen. */
    int status();

    /** Bytes of the response sent so far, headers included. */
    long bytesSent();

    /** Bytes of the response body sent so far. */
    long bodyBytesSent();

    /** Bytes of the request read so far: request line, header and body ({@code $request_length}). */
    long requestLength();

    /** When the connection was accepted, in epoch milliseconds ({@code $connection_time}). */
    long connectionStartMillis();

    /** When the first byte of the request was read, in epoch milliseconds. */
    long startMillis();

    /** The current time in epoch milliseconds from the server's clock (injectable in tests). */
    long nowMillis();

    /** The first value of a response header set so far (name case-insensitive), or null. */
    default String responseHeader(String name) {
        return null;
    }

    /** The TLS session of the connection, or null when the connection is plain HTTP. */
    default javax.net.ssl.SSLSession tlsSession() {
        return null;
    }

    /** The id of the connection's TLS session, empty when it has none (or the connection is plain). */
    default byte[] tlsSessionId() {
        return new byte[0];
    }

    /** Whether the connection's TLS handshake resumed an earlier session. */
    default boolean tlsSessionReused() {
        return false;
    }

    /** {@code $http2}: {@code h2} for HTTP/2 over TLS, {@code h2c} on plaintext, empty otherwise. */
    default String http2() {
        return "";
    }

    /** The protocol ALPN selected on the connection, or null when none was. */
    default String alpnProtocol() {
        return null;
    }

    /** The n-th capture of the last regular expression matched (location), or null. */
    default String capture(int n) {
        return null;
    }

    /**
     * Per-request state another package attached (e.g. the upstream tried), or null. Keys are
     * compared by identity, so a package keeps its key in a static field.
     */
    <T> T attribute(AttributeKey<T> key);
}
