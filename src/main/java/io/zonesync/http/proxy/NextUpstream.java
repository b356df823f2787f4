package io.zonesync.http.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The conditions of {@code proxy_next_upstream}: when a request is passed to the next server. */
enum NextUpstream {
    ERROR, TIMEOUT, INVALID_HEADER, HTTP_500, HTTP_502, HTTP_503, HTTP_504, HTTP_403, HTTP_404, HTTP_429,
    NON_IDEMPOTENT;

    /** nginx's default: {@code error timeout}. */
    static final Set<NextUpstream> DEFAULT = EnumSet.of(ERROR, TIMEOUT);

    /** The condition a response status meets, or null for statuses that never pass a request on. */
    static NextUpstream forStatus(int status) {
        return switch (status) {
            case 500 -> HTTP_500;
            case 502 -> HTTP_502;
            case 503 -> HTTP_503;
            case 504 -> HTTP_504;
            case 403 -> HTTP_403;
            case 404 -> HTTP_404;
            case 429 -> HTTP_429;
            default -> null;
        };
    }

    /**
     * Whether an attempt ended this way counts towards the server's max_fails: all but 403 and 404,
     * as in nginx's ngx_http_upstream_next (a server answering 429 under http_429 is failing).
     */
    boolean countsAsFailure() {
        return this != HTTP_403 && this != HTTP_404;
    }

    static Set<NextUpstream> parse(Directive d) throws ConfigException {
        Set<NextUpstream> out = EnumSet.noneOf(NextUpstream.class);
        for (String a : d.args()) {
            if (a.equals("off")) {
                out.clear();
                continue;
            }
            try {
                out.add(valueOf(a.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw d.error("invalid value \"%s\"", a);
            }
        }
        return out;
    }
}
