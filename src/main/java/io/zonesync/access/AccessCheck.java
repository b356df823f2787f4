package io.zonesync.access;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.AccessDecision;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
        // nginx's words, which tools such as fail2ban match
        LOG.error(ex.errorLog(), "access forbidden by rule{}", ex.errorContext());
        return AccessDecision.respond(403);
    }

    private static AccessDecision basic(HttpExchange ex, AccessGuard g) {
        String realm = g.realm(ex);
        if (realm == null) {
            return AccessDecision.proceed();
        }
        String[] credentials = credentials(ex.requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
        if (credentials == null) {
            LOG.info(ex.errorLog(), "no user/password was provided for basic authentication{}", ex.errorContext());
            return challenge(realm);
        }
        Path file = g.userFile(ex);
        Htpasswd users;
        try {
            users = g.files.get(file);
        } catch (NoSuchFileException e) {
            LOG.error(ex.errorLog(), "open() \"{}\" failed (2: No such file or directory){}", file, ex.errorContext());
            return AccessDecision.respond(403);
        } catch (IOException e) {
            LOG.error(ex.errorLog(), "open() \"{}\" failed ({}){}", file, e, ex.errorContext());
            return AccessDecision.respond(500);
        }
        String user = credentials[0];
        String password = credentials[1];
        if (!users.hasUser(user)) {
            LOG.error(ex.errorLog(), "user \"{}\" was not found in \"{}\"{}", user, file, ex.errorContext());
            return challenge(realm);
        }
        if (users.rememberedLogin(user, password)) {
            return AccessDecision.granted();
        }
        if (!users.isSlow(user)) {
            return verdict(ex, realm, user, users.login(user, password));
        }
        return AccessDecision.later(CompletableFuture.supplyAsync(() -> users.login(user, password),
                ForkJoinPool.commonPool()).thenApply(ok -> verdict(ex, realm, user, ok)));
    }

    private static AccessDecision verdict(HttpExchange ex, String realm, String user, boolean ok) {
        if (ok) {
            return AccessDecision.granted();
        }
        LOG.error(ex.errorLog(), "user \"{}\": password mismatch{}", user, ex.errorContext());
        return challenge(realm);
    }

    /** 401 with the realm. */
    private static AccessDecision challenge(String realm) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + realm.replace("\"", "\\\"") + "\"");
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
}
