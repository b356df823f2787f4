package io.zonesync.http.api;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/** NGINX Plus's api module: the {@code api} directive; {@link ApiFeature} answers its locations. */
public final class ApiModule implements ConfModule {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_api_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("api", Arity.between(0, 1), Context.HTTP_LOCATION));
    }
}
