package io.zonesync.http.rewrite;

import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.core.RewriteHandler;
import java.util.List;

/**
 * nginx's rewrite module: {@code return}, run in the server-rewrite phase at server level and in
 * the rewrite phase at location level, not inherited by nested locations.
 */
public final class RewriteModule implements ConfModule, HttpFeature {

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("return", Arity.between(1, 2), HTTP_SERVER, HTTP_LOCATION));
    }

    @Override
    public List<RewriteHandler> rewriteHandlers(CompileScope level) throws ConfigException {
        Directive ret = level.scope().block().first("return");
        return ret == null ? List.of() : List.of(ReturnAction.compile(ret, level.variables()));
    }
}
