package io.zonesync.access;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.AccessDecision;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One access check of a location, on the guard for the request's method (the {@code limit_except}
 * block's for a method it does not free, else the location's): its allow/deny rules (a matching
 * allow grants, a deny is 403) or its basic authentication (right credentials grant, else 401 with
 * the realm), two checks as in nginx, so that {@code satisfy any} can let either suffice. A bcrypt
 * check runs off the event loop.
 */
final class AccessCheck implements AccessHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AccessCheck.class);

    /** Which of the guard's checks this one is. */
    enum Part { RULES, BASIC }

    private final Part part;
    private final AccessGuard normal;
    private final AccessGuard restricted;
    private final Set<String> freeMethods;

    AccessCheck(Part part, AccessGuard normal, AccessGuard restricted, Set<String> freeMethods) {
        this.part = part;
        this.normal = normal;
        this.restricted = restricted;
        this.freeMethods = freeMethods;
    }

    @Override
    public AccessDecision check(HttpExchange ex) {
        AccessGuard g = restricted != null && !freeMethods.contains(ex.method()) ? restricted : normal;
        return part == Part.RULES ? rules(ex, g) : basic(ex, g);
    }

    private static AccessDecision rules(HttpExchange ex, AccessGuard g) {
        AccessRule rule = g.rules.match(ex.remoteAddress());
        if (rule == null) {
            return AccessDecision.proceed();
        }
        if (rule.allow()) {
            return AccessDecision.granted();
        }
        LOG.error("access forbidden by rule \"deny {}\" in {}, client: {}, request: \"{} {}\"", rule.directive().arg(0),
                rule.directive().where(), client(ex), ex.method(), ex.requestUri());
        return AccessDecision.respond(403);
    }

    private static AccessDecision basic(HttpExchange ex, AccessGuard g) {
        if (!g.authenticates()) {
            return AccessDecision.proceed();
        }
        String[] credentials = credentials(ex.requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
        if (credentials == null) {
            return challenge(g);
        }
        String user = credentials[0];
        String password = credentials[1];
        if (!g.users.hasUser(user)) {
            LOG.error("user \"{}\" was not found in \"{}\", client: {}", user, g.userFile, client(ex));
            return challenge(g);
        }
        if (g.rememberedLogin(user, password)) {
            return AccessDecision.granted();
        }
        if (!g.users.isSlow(user)) {
            return verdict(ex, g, user, g.login(user, password));
        }
        return AccessDecision.later(CompletableFuture.supplyAsync(() -> g.login(user, password), ForkJoinPool.commonPool())
                .thenApply(ok -> verdict(ex, g, user, ok)));
    }

    private static AccessDecision verdict(HttpExchange ex, AccessGuard g, String user, boolean ok) {
        if (ok) {
            return AccessDecision.granted();
        }
        LOG.error("user \"{}\": password mismatch, client: {}", user, client(ex));
        return challenge(g);
    }

    /** 401 with the realm. */
    private static AccessDecision challenge(AccessGuard g) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + g.realm.replace("\"", "\\\"") + "\"");
        return AccessDecision.respond(401, h);
    }

    /** {user, password} from {@code Basic base64(user:password)}, or null. */
    static String[] credentials(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static String client(HttpExchange ex) {
        return String.valueOf(ex.remoteAddress()).replaceFirst("^/", "");
    }
}
