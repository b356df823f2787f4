package io.zonesync.http.authrequest;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.Block;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.core.RequestVariables;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's ngx_http_auth_request_module: {@code auth_request uri | off} lets a request in only when
 * a subrequest to {@code uri} answers 2xx, and {@code auth_request_set $variable value} copies
 * values of that subrequest ({@code $upstream_http_*}) into request variables. The directives are
 * inherited as nginx merges them: {@code auth_request_set} as a whole list from the innermost level
 * that has any.
 */
public final class AuthRequestModule implements ConfModule, HttpFeature {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_auth_request_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("auth_request", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.repeatable("auth_request_set", Arity.exactly(2), HTTP, HTTP_SERVER, HTTP_LOCATION));
    }

    /** Declares every variable an {@code auth_request_set} names, wherever it stands, as {@code set} does. */
    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        declare(http.scope().block(), http);
    }

    private static void declare(Block block, CompileScope http) throws ConfigException {
        for (Directive d : block.directives()) {
            if (d.name().equals("auth_request_set")) {
                String name = variableName(d);
                if (!RequestVariables.declare(http.variables(), name)) {
                    throw d.error("the duplicate \"%s\" variable", name);
                }
            } else if (d.hasBlock()) {
                declare(d.block(), http);
            }
        }
    }

    @Override
    public List<AccessHandler> accessHandlers(CompileScope location) throws ConfigException {
        List<AuthRequestCheck.Assignment> sets = new ArrayList<>();
        for (Directive s : location.scope().effective("auth_request_set")) {
            sets.add(new AuthRequestCheck.Assignment(variableName(s), location.compile(s, s.arg(1))));
        }
        Directive d = location.scope().effectiveFirst("auth_request");
        if (d == null || d.arg(0).equals("off")) {
            return List.of();
        }
        return List.of(new AuthRequestCheck(d.arg(0), List.copyOf(sets)));
    }

    private static String variableName(Directive d) throws ConfigException {
        String arg = d.arg(0);
        if (arg.length() < 2 || arg.charAt(0) != '$') {
            throw d.error("invalid variable name \"%s\"", arg);
        }
        return arg.substring(1);
    }
}
