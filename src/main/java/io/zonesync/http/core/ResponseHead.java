package io.zonesync.http.core;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.zonesync.http.vars.CoreVariables;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.Map;

/**
 * The status line and headers of a response as nginx sends them: the handler's headers (minus
 * hop-by-hop ones and Server/Date, which are the node's), Server, Date, Content-Length or chunked,
 * a Location made absolute, the location's header filters (add_header), and Connection/Keep-Alive.
 *
 * @param keepAlive whether the connection stays open after this response
 * @param size the bytes of the head, for {@code $bytes_sent}
 */
record ResponseHead(DefaultHttpResponse response, boolean keepAlive, long size) {
    static final String SERVER_WITH_VERSION = "zonesync/" + CoreVariables.VERSION;

    /**
     * @param contentLength the body length, -1 when unknown (chunked for HTTP/1.1, close for
     *        HTTP/1.0), -2 when the status has no body
     * @param persistent whether the connection may stay open as far as the connection knows
     */
    static ResponseHead build(NettyExchange ex, int code, HttpHeaders extra, long contentLength, boolean persistent) {
        // valueOf: Netty's shared instance when the reason phrase is its own
        DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(code, StatusPages.reason(code)));
        HttpHeaders h = r.headers();
        LocationConfig loc = ex.location;
        h.set(HttpHeaderNames.SERVER, loc == null || loc.serverTokens() ? SERVER_WITH_VERSION : "zonesync");
        h.set(HttpHeaderNames.DATE, HttpDate.ofSecond(ex.nowMillis()));
        if (extra != null) {
            // the CharSequence view: the String one converts every name and value
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = extra.iteratorCharSequence(); it.hasNext();) {
                Map.Entry<CharSequence, CharSequence> e = it.next();
                if (!isHopByHop(e.getKey())) {
                    h.add(e.getKey(), e.getValue());
                }
            }
        }
        if (ex.refusalHeaders != null) {
            for (Map.Entry<String, String> e : ex.refusalHeaders) {
                if (!h.contains(e.getKey())) {
                    h.add(e.getKey(), e.getValue());
                }
            }
        }
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        if (code == 204) {
            // as nginx's header filter: a 204 has no content to describe
            h.remove(HttpHeaderNames.CONTENT_TYPE);
            h.remove(HttpHeaderNames.LAST_MODIFIED);
        }
        if (contentLength >= 0) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        } else if (contentLength == -1) {
            if (ex.request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                persistent = false;
            }
        }
        String where = h.get(HttpHeaderNames.LOCATION);
        if (where != null && loc != null && loc.absoluteRedirect() && where.startsWith("/")) {
            h.set(HttpHeaderNames.LOCATION, absolute(ex, where, loc));
        }
        if (loc != null) {
            for (HeaderFilter f : loc.headerFilters()) {
                f.filter(code, h, ex);
            }
        }
        if (ex.bodyChanged() && contentLength != -2) { // a filter changes the body: its length is no longer known
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
            if (ex.isHead()) {
                h.remove(HttpHeaderNames.TRANSFER_ENCODING); // no body follows to frame, as nginx's HEAD answers
            } else if (ex.request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                persistent = false;
            }
        }
        h.set(HttpHeaderNames.CONNECTION, persistent ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        if (persistent && loc != null && loc.keepaliveHeaderSeconds() >= 0) {
            h.set("Keep-Alive", "timeout=" + loc.keepaliveHeaderSeconds());
        }
        long size = 17 + StatusPages.reason(code).length() + 2;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            size += e.getKey().length() + e.getValue().length() + 4;
        }
        return new ResponseHead(r, persistent, size);
    }

    private static boolean isHopByHop(CharSequence name) {
        return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.KEEP_ALIVE)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.SERVER)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.DATE);
    }

    /** {@code /path} as {@code http://host[:port]/path}, as nginx's absolute_redirect does. */
    private static String absolute(NettyExchange ex, String path, LocationConfig loc) {
        String host = RequestPhases.hostOf(ex);
        if (host.isEmpty()) {
            host = ex.serverName();
        }
        SocketAddress local = ex.localAddress();
        if (host.isEmpty() && local instanceof InetSocketAddress inet) {
            host = CoreVariables.addressText(inet);
        }
        String port = "";
        if (loc.portInRedirect() && local instanceof InetSocketAddress inet && inet.getPort() != 80) {
            port = ":" + inet.getPort();
        }
        return ex.scheme() + "://" + host + port + path;
    }
}
