package io.zonesync.http.sticky;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.upstream.Peer;
import io.zonesync.http.upstream.StickyPolicy;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.Variable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code sticky cookie}: the request's {@code $cookie_NAME} names the server (its route or the MD5
 * of its address); every response through the upstream sets the cookie to the server that served
 * it, so a client whose server became unavailable is moved to the new one.
 */
final class CookiePolicy implements StickyPolicy {
    private static final String MAX_EXPIRES = "; expires=Thu, 31-Dec-37 23:55:55 GMT; max-age=315360000";
    private static final DateTimeFormatter COOKIE_TIME =
            DateTimeFormatter.ofPattern("EEE, dd-MMM-yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final StickySpec.Cookie spec;
    private final Variable lookup;
    private final ComplexValue domain;
    private final ComplexValue sameSite;

    CookiePolicy(StickySpec.Cookie spec, Variable lookup, ComplexValue domain, ComplexValue sameSite) {
        this.spec = spec;
        this.lookup = lookup;
        this.domain = domain;
        this.sameSite = sameSite;
    }

    @Override
    public StickyRequest begin(RequestView request) {
        String value = lookup.value(request);
        String hint = value == null || value.isEmpty() ? null : value;
        return new StickyRequest() {
            @Override
            public String hint() {
                return hint;
            }

            @Override
            public void onHeaders(Peer peer, HttpHeaders toClient) {
                toClient.add("Set-Cookie", cookie(request, peer.sid()));
            }
        };
    }

    String cookie(RequestView request, String sid) {
        StringBuilder b = new StringBuilder(spec.name()).append('=').append(sid);
        if (spec.expiresSeconds() == StickySpec.EXPIRES_MAX) {
            b.append(MAX_EXPIRES);
        } else if (spec.expiresSeconds() >= 0) {
            long at = request.nowMillis() / 1000 + spec.expiresSeconds();
            b.append("; expires=").append(COOKIE_TIME.format(Instant.ofEpochSecond(at)))
                    .append("; max-age=").append(spec.expiresSeconds());
        }
        String d = domain == null ? "" : domain.evaluate(request);
        if (!d.isEmpty()) {
            b.append("; domain=").append(d);
        }
        if (spec.httpOnly()) {
            b.append("; httponly");
        }
        if (spec.secure()) {
            b.append("; secure");
        }
        if (sameSite != null) {
            String s = sameSite.evaluate(request);
            if (!s.isEmpty()) {
                b.append("; samesite=").append(StickySpec.validSameSite(s) ? s : "strict");
            }
        }
        if (spec.path() != null) {
            b.append("; path=").append(spec.path());
        }
        return b.toString();
    }
}
