package io.zonesync.http.authjwt;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.AccessDecision;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.ComplexValue;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access check of {@code auth_jwt}, on the policy for the request's method (the
 * {@code limit_except} block's for a method it does not free, else the location's): no token is a
 * 401 with {@code WWW-Authenticate: Bearer realm="..."}; a token that fails verification, or an
 * {@code auth_jwt_require} value that is empty or "0", a 401 that adds
 * {@code error="invalid_token"} (or a plain 403 for {@code error=403}). A verified token is kept
 * for the {@code $jwt_*} variables, which the require values may use. Each refusal is logged at
 * info level.
 */
final class JwtCheck implements AccessHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JwtCheck.class);
    /** The token this request presented, once verified. */
    static final AttributeKey<JwtToken> TOKEN = AttributeKey.named("auth_jwt token");

    private final JwtPolicy normal;
    private final JwtPolicy restricted;
    private final Set<String> freeMethods;

    /** @param normal the location's policy, null when auth_jwt is off there */
    JwtCheck(JwtPolicy normal, JwtPolicy restricted, Set<String> freeMethods) {
        this.normal = normal;
        this.restricted = restricted;
        this.freeMethods = freeMethods;
    }

    @Override
    public AccessDecision check(HttpExchange ex) {
        JwtPolicy p = restricted != null && !freeMethods.contains(ex.method()) ? restricted : normal;
        if (p == null) {
            return AccessDecision.proceed();
        }
        String token = p.token() == null ? bearer(ex.requestHeaders().get(HttpHeaderNames.AUTHORIZATION))
                : p.token().evaluate(ex);
        if (token == null || token.isEmpty()) {
            LOG.info(ex.errorLog(), "JWT is not found{}", ex.errorContext());
            return challenge(p, ex, false);
        }
        JwtKeySources keys = p.keys();
        if (keys.isFixed()) {
            return decide(ex, p, token, keys.fixed());
        }
        return AccessDecision.later(keys.keys(ex).handle((k, e) -> e == null ? decide(ex, p, token, k)
                : unavailable(ex, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e)));
    }

    private static AccessDecision decide(HttpExchange ex, JwtPolicy p, String token, List<JwtKey> keys) {
        JwtVerifier.Result r = p.verifier(keys).verify(token, ex.nowMillis());
        if (!r.passed()) {
            LOG.info(ex.errorLog(), "JWT is rejected: {}{}", r.failure(), ex.errorContext());
            return challenge(p, ex, true);
        }
        ex.setAttribute(TOKEN, r.token());
        for (JwtPolicy.Requirement req : p.requirements()) {
            for (ComplexValue v : req.values()) {
                String value = v.evaluate(ex);
                if (value == null || value.isEmpty() || value.equals("0")) {
                    LOG.info(ex.errorLog(), "JWT does not meet the requirement \"{}\"{}", v.source(),
                            ex.errorContext());
                    return req.status() == 403 ? AccessDecision.respond(403) : challenge(p, ex, true);
                }
            }
        }
        return AccessDecision.granted();
    }

    /** No keys could be had (a file or a key request failed): 500, as for any internal failure. */
    private static AccessDecision unavailable(HttpExchange ex, Throwable why) {
        LOG.error(ex.errorLog(), "{}{}", why instanceof JwtKeySources.Unavailable ? why.getMessage() : why,
                ex.errorContext());
        return AccessDecision.respond(500);
    }

    /** 401 with the realm, and {@code error="invalid_token"} when a token was given. */
    private static AccessDecision challenge(JwtPolicy p, HttpExchange ex, boolean invalid) {
        String realm = p.realm().evaluate(ex);
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"" + (realm == null ? "" : realm.replace("\"", "\\\""))
                + "\"" + (invalid ? ", error=\"invalid_token\"" : ""));
        return AccessDecision.respond(401, h);
    }

    /** The token of {@code Authorization: Bearer <token>} (scheme in any case), or null. */
    static String bearer(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }
}
