package io.zonesync.http.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.vars.ComplexValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The proxy settings of one location, inherited from server and http as nginx does (a level that
 * sets any {@code proxy_set_header} replaces all the outer ones).
 *
 * @param headers the headers to set, nginx's defaults merged under the configured ones; an empty
 *        value removes the header
 * @param nextTries {@code proxy_next_upstream_tries}, 0 for no limit
 * @param nextTimeoutMs {@code proxy_next_upstream_timeout}, 0 for no limit
 * @param notCopied the client's request headers not passed on as sent: those in {@code headers}
 *        and the body framing (Content-Length, Transfer-Encoding), which the proxy sets itself
 * @param responseHeaders which upstream response headers reach the client ({@code proxy_hide_header},
 *        {@code proxy_pass_header})
 * @param interceptErrors {@code proxy_intercept_errors}: an upstream status of 300 or more that the
 *        location has an {@code error_page} for is answered by that page
 * @param method {@code proxy_method}: the method sent upstream instead of the client's, or null
 * @param passRequestHeaders {@code proxy_pass_request_headers}: whether the client's headers go
 *        upstream (those {@code proxy_set_header} sets always do)
 * @param passRequestBody {@code proxy_pass_request_body}: whether the client's body goes upstream
 *        (its Content-Length still does, as in nginx)
 * @param setBody {@code proxy_set_body}: the body sent instead of the client's, or null
 * @param cookies {@code proxy_cookie_domain}, {@code proxy_cookie_path}, {@code proxy_cookie_flags}
 * @param followAccelLimitRate whether an upstream's {@code X-Accel-Limit-Rate} sets {@code $limit_rate}
 * @param followAccelRedirect whether an upstream's {@code X-Accel-Redirect} is followed (not in
 *        {@code proxy_ignore_headers})
 * @param bind {@code proxy_bind}, or null
 * @param socketKeepalive {@code proxy_socket_keepalive}: SO_KEEPALIVE on upstream connections
 * @param namesRequestBody whether the request sent upstream names {@code $request_body}
 *        ({@code proxy_set_header}, {@code proxy_set_body}): then the whole body is read before it
 *        goes, as nginx's request buffering does, so that the variable holds it. Found once here:
 *        looking for it on every request was 4% of a proxied request's CPU and a tenth of its
 *        allocation (streams and lambdas)
 */
record ProxySettings(List<HeaderSetting> headers, HeaderNameSet notCopied, long connectTimeoutMs, long readTimeoutMs, long sendTimeoutMs,
        Set<NextUpstream> next, int nextTries, long nextTimeoutMs, boolean http11, ResponseHeaders responseHeaders,
        boolean interceptErrors, ComplexValue method, boolean passRequestHeaders, boolean passRequestBody,
        ComplexValue setBody, CookieRewrite cookies, boolean followAccelRedirect, boolean followAccelLimitRate,
        ProxyBind bind, boolean socketKeepalive, boolean namesRequestBody) {

    /**
     * What {@code proxy_ignore_headers} takes; X-Accel-Redirect and X-Accel-Limit-Rate are the ones
     * with an effect without a cache.
     */
    static final List<String> IGNORABLE = List.of("x-accel-redirect", "x-accel-expires", "x-accel-limit-rate",
            "x-accel-buffering", "x-accel-charset", "expires", "cache-control", "set-cookie", "vary");

    /** Whether {@code proxy_set_header} names the header (lower-case {@code key}; none of the defaults). */
    boolean setsHeader(String key) {
        return headers.stream().anyMatch(h -> h.key().equals(key));
    }

    /** Whether the client's body is read and dropped rather than sent upstream. */
    boolean dropsClientBody() {
        return setBody != null || !passRequestBody;
    }

    private static boolean namesRequestBody(List<HeaderSetting> headers, ComplexValue setBody) {
        return headers.stream().anyMatch(h -> names(h.value(), "request_body")) || names(setBody, "request_body");
    }

    private static boolean names(ComplexValue value, String variable) {
        return value != null && value.segments().stream()
                .anyMatch(s -> s instanceof ComplexValue.VariableRef r && r.name().equalsIgnoreCase(variable));
    }

    static final long DEFAULT_TIMEOUT_MS = 60_000;

    /** One {@code proxy_set_header}: lower-cased name for matching, name as written, value. */
    record HeaderSetting(String key, String name, ComplexValue value) {
    }

    /**
     * Whether {@code proxy_next_upstream_tries}, {@code proxy_next_upstream_timeout} and the
     * non-idempotent rule let a request that failed its {@code tries}-th attempt go on: POST, LOCK
     * and PATCH are not passed on once their request was sent, unless {@code non_idempotent}.
     */
    boolean allowsNext(int tries, long elapsedMs, String method, boolean requestSent) {
        if (nextTries > 0 && tries >= nextTries) {
            return false;
        }
        if (nextTimeoutMs > 0 && elapsedMs >= nextTimeoutMs) {
            return false;
        }
        boolean idempotent = !(method.equals("POST") || method.equals("LOCK") || method.equals("PATCH"));
        return !requestSent || idempotent || next.contains(NextUpstream.NON_IDEMPOTENT);
    }

    /**
     * @param keepaliveUpstream whether the upstream caches connections: with HTTP/1.1 the default
     *        {@code Connection: close} is then left out so connections can be reused
     */
    static ProxySettings compile(CompileScope cs, boolean keepaliveUpstream) throws ConfigException {
        long connect = time(cs, "proxy_connect_timeout");
        long read = time(cs, "proxy_read_timeout");
        long send = time(cs, "proxy_send_timeout");
        boolean http11 = false;
        Directive v = cs.scope().effectiveFirst("proxy_http_version");
        if (v != null) {
            if (v.arg(0).equals("1.1")) {
                http11 = true;
            } else if (!v.arg(0).equals("1.0")) {
                throw v.error("invalid value \"%s\" in \"%s\" directive, it must be \"1.0\" or \"1.1\"", v.arg(0),
                        v.name());
            }
        }
        Directive n = cs.scope().effectiveFirst("proxy_next_upstream");
        Set<NextUpstream> next = n == null ? NextUpstream.DEFAULT : NextUpstream.parse(n);
        int tries = 0;
        Directive t = cs.scope().effectiveFirst("proxy_next_upstream_tries");
        if (t != null && !t.arg(0).equals("0")) {
            tries = Values.positiveInt(t, t.arg(0));
        }
        long nextTimeout = 0;
        Directive nt = cs.scope().effectiveFirst("proxy_next_upstream_timeout");
        if (nt != null) {
            nextTimeout = Values.timeMs(nt, nt.arg(0));
        }
        List<HeaderSetting> headers = new ArrayList<>();
        for (Directive h : cs.scope().effective("proxy_set_header")) {
            headers.add(new HeaderSetting(h.arg(0).toLowerCase(Locale.ROOT), h.arg(0), cs.compile(h, h.arg(1))));
        }
        addDefault(headers, "Host", ComplexValue.compile("$proxy_host", cs.variables(), null));
        addDefault(headers, "Connection", ComplexValue.constant(http11 && keepaliveUpstream ? "" : "close"));
        for (String dropped : List.of("TE", "Keep-Alive", "Expect", "Upgrade")) {
            addDefault(headers, dropped, ComplexValue.constant(""));
        }
        List<String> notCopied = new ArrayList<>(List.of("content-length", "transfer-encoding"));
        headers.forEach(h -> notCopied.add(h.key()));
        List<String> hidden = new ArrayList<>();
        for (Directive h : cs.scope().effective("proxy_hide_header")) {
            hidden.add(h.arg(0).toLowerCase(Locale.ROOT));
        }
        List<String> passed = new ArrayList<>();
        for (Directive p : cs.scope().effective("proxy_pass_header")) {
            passed.add(p.arg(0).toLowerCase(Locale.ROOT));
        }
        boolean interceptErrors = flag(cs, "proxy_intercept_errors");
        ComplexValue method = method(cs);
        boolean passRequestHeaders = flag(cs, "proxy_pass_request_headers", true);
        boolean passRequestBody = flag(cs, "proxy_pass_request_body", true);
        ComplexValue setBody = setBody(cs);
        return new ProxySettings(headers, new HeaderNameSet(notCopied), connect, read, send, next, tries, nextTimeout,
                http11, new ResponseHeaders(new HeaderNameSet(hidden), new HeaderNameSet(passed)),
                interceptErrors, method, passRequestHeaders, passRequestBody, setBody, CookieRewrite.compile(cs),
                !ignores(cs, "x-accel-redirect"), !ignores(cs, "x-accel-limit-rate"), ProxyBind.compile(cs),
                flag(cs, "proxy_socket_keepalive"), namesRequestBody(headers, setBody));
    }

    private static void addDefault(List<HeaderSetting> headers, String name, ComplexValue value) {
        String key = name.toLowerCase(Locale.ROOT);
        if (headers.stream().noneMatch(h -> h.key().equals(key))) {
            headers.add(new HeaderSetting(key, name, value));
        }
    }

    private static boolean flag(CompileScope cs, String name) throws ConfigException {
        return flag(cs, name, false);
    }

    private static boolean flag(CompileScope cs, String name, boolean dflt) throws ConfigException {
        Directive d = cs.scope().effectiveFirst(name);
        return d == null ? dflt : Values.flag(d);
    }

    private static ComplexValue method(CompileScope cs) throws ConfigException {
        Directive d = cs.scope().effectiveFirst("proxy_method");
        return d == null ? null : cs.compile(d, d.arg(0));
    }

    private static ComplexValue setBody(CompileScope cs) throws ConfigException {
        Directive d = cs.scope().effectiveFirst("proxy_set_body");
        return d == null ? null : cs.compile(d, d.arg(0));
    }

    /** Whether {@code proxy_ignore_headers} names {@code header} (lower case) here. */
    private static boolean ignores(CompileScope cs, String header) throws ConfigException {
        boolean follow = true;
        // as nginx's bitmask: the lines of the nearest level that has any add up
        for (Directive d : cs.scope().effective("proxy_ignore_headers")) {
            for (String a : d.args()) {
                String name = a.toLowerCase(Locale.ROOT);
                if (!IGNORABLE.contains(name)) {
                    throw d.error("invalid value \"%s\"", a);
                }
                follow &= !name.equals(header);
            }
        }
        return !follow;
    }

    private static long time(CompileScope cs, String name) throws ConfigException {
        Directive d = cs.scope().effectiveFirst(name);
        if (d == null) {
            return DEFAULT_TIMEOUT_MS;
        }
        long ms = Values.timeMs(d, d.arg(0));
        if (ms == 0) {
            throw d.error("invalid value \"%s\" in \"%s\" directive, it must be more than 0", d.arg(0), d.name());
        }
        return ms;
    }
}
