package io.zonesync.http.realip;

import io.zonesync.http.vars.RequestView;
import io.zonesync.net.ProxyHeader;
import java.util.List;

/**
 * Where {@code real_ip_header} says the client's address is: X-Real-IP (the default), every
 * X-Forwarded-For line, the PROXY protocol header, or the first line of another header field.
 * The keywords are matched as nginx matches them, case and all; {@code x-forwarded-for} in lower
 * case is "another header field", read from its first line only.
 */
record RealIpSource(Kind kind, String field) {

    enum Kind { X_REAL_IP, X_FORWARDED_FOR, PROXY_PROTOCOL, FIELD }

    static final RealIpSource DEFAULT = new RealIpSource(Kind.X_REAL_IP, "X-Real-IP");

    static RealIpSource parse(String text) {
        return switch (text) {
            case "X-Real-IP" -> DEFAULT;
            case "X-Forwarded-For" -> new RealIpSource(Kind.X_FORWARDED_FOR, text);
            case "proxy_protocol" -> new RealIpSource(Kind.PROXY_PROTOCOL, text);
            default -> new RealIpSource(Kind.FIELD, text);
        };
    }

    /** The values to walk, in the order received; empty when the request has none. */
    List<String> values(RequestView request) {
        switch (kind) {
            case X_FORWARDED_FOR:
                return request.headers("X-Forwarded-For");
            case PROXY_PROTOCOL:
                ProxyHeader h = request.proxyProtocol();
                return h == null ? List.of() : List.of(h.sourceAddress());
            default:
                String v = request.header(field);
                return v == null ? List.of() : List.of(v);
        }
    }
}
