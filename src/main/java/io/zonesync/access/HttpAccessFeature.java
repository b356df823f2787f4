package io.zonesync.access;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.FileSnapshots;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.Scope;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.vars.ComplexValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's access control for http: {@code allow}/{@code deny} (ngx_http_access_module),
 * {@code auth_basic}/{@code auth_basic_user_file} (ngx_http_auth_basic_module) and
 * {@code limit_except} (the methods it lists are free; every other method meets the rules inside
 * its block, which inherit the location's). Denied requests get 403, missing or wrong credentials
 * 401 with {@code WWW-Authenticate}.
 */
public final class HttpAccessFeature implements HttpFeature, ConfModule {
    private static final Logger LOG = LoggerFactory.getLogger(HttpAccessFeature.class);
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "MKCOL", "COPY", "MOVE",
            "OPTIONS", "PROPFIND", "PROPPATCH", "LOCK", "UNLOCK", "PATCH");
    /** The user files, as they were last read: shared by every configuration this node loads. */
    private final FileSnapshots<Htpasswd> files = new FileSnapshots<>(
            (file, content) -> Htpasswd.parse(file, new String(content, StandardCharsets.UTF_8)));

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_access_module", "ngx_http_auth_basic_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        Context[] where = {Context.HTTP_SERVER, Context.HTTP_LOCATION, Context.HTTP_LIMIT_EXCEPT};
        r.register(DirectiveSpec.repeatable("allow", Arity.exactly(1), Context.HTTP, where));
        r.register(DirectiveSpec.repeatable("deny", Arity.exactly(1), Context.HTTP, where));
        r.register(DirectiveSpec.single("auth_basic", Arity.exactly(1), Context.HTTP, where));
        r.register(DirectiveSpec.single("auth_basic_user_file", Arity.exactly(1), Context.HTTP, where));
        r.register(DirectiveSpec.block("limit_except", Arity.atLeast(1), Context.HTTP_LIMIT_EXCEPT, false,
                Context.HTTP_LOCATION));
    }

    @Override
    public List<AccessHandler> accessHandlers(CompileScope location) throws ConfigException {
        Scope scope = location.scope();
        AccessGuard normal = guard(location, scope);
        Directive limit = scope.effectiveFirst("limit_except");
        if (limit == null) {
            return normal.isOpen() ? List.of() : checks(normal, null, Set.of());
        }
        Set<String> free = freeMethods(limit);
        AccessGuard restricted = guard(location, scope.child(Context.HTTP_LIMIT_EXCEPT, limit.block()));
        return checks(normal, restricted, free);
    }

    /**
     * The methods a {@code limit_except} lets through without its block's restrictions (GET brings
     * HEAD), with nginx's error for a method it does not know; for every module with checks there.
     */
    public static Set<String> freeMethods(Directive limitExcept) throws ConfigException {
        Set<String> free = new HashSet<>();
        for (String m : limitExcept.args()) {
            String method = m.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw limitExcept.error("invalid method \"%s\"", m);
            }
            free.add(method);
            if (method.equals("GET")) {
                free.add("HEAD");
            }
        }
        return Set.copyOf(free);
    }

    /** The rules, then basic authentication: nginx's order, which decides between 403 and 401 under satisfy all. */
    private static List<AccessHandler> checks(AccessGuard normal, AccessGuard restricted, Set<String> free) {
        return List.of(new AccessCheck(AccessCheck.Part.RULES, normal, restricted, free),
                new AccessCheck(AccessCheck.Part.BASIC, normal, restricted, free));
    }

    private AccessGuard guard(CompileScope location, Scope scope) throws ConfigException {
        AccessRules rules = AccessRules.of(scope);
        Directive realm = scope.effectiveFirst("auth_basic");
        Directive file = scope.effectiveFirst("auth_basic_user_file");
        if (realm == null || realm.arg(0).equals("off") || file == null) {
            return AccessGuard.rulesOnly(rules);
        }
        ParsedConfig config = location.config();
        Path confDir = config.file() != null && config.file().getParent() != null ? config.file().getParent()
                : config.prefix();
        ComplexValue path = location.compile(file, file.arg(0));
        if (path.isConstant() && !Files.isReadable(confDir.resolve(file.arg(0)))) {
            // as nginx, not an error: the file is read per request, and until it is there requests get 403
            LOG.warn("auth_basic_user_file \"{}\" in {} cannot be read now", confDir.resolve(file.arg(0)), file.where());
        }
        return new AccessGuard(rules, location.compile(realm, realm.arg(0)), path, confDir, files);
    }
}
