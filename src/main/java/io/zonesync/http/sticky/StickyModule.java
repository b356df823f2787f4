package io.zonesync.http.sticky;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * {@code sticky cookie|route|learn ...} in an upstream block; one per upstream (a second is
 * "is duplicate"). Parameters are checked by {@link StickySpec#parse}.
 */
public final class StickyModule implements ConfModule {
    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_upstream_sticky_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry registry) {
        registry.register(DirectiveSpec.single("sticky", Arity.atLeast(2), Context.HTTP_UPSTREAM));
    }
}
