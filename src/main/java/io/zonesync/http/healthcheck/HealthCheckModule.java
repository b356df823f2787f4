package io.zonesync.http.healthcheck;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The directives of NGINX Plus's active health checks for http upstreams: {@code health_check
 * [parameters]} in a proxying location and {@code match NAME { ... }} in http
 * ({@link HealthCheckFeature}).
 */
public final class HealthCheckModule implements ConfModule {
    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_upstream_hc_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("health_check", Arity.atLeast(0), HTTP_LOCATION));
        r.register(DirectiveSpec.block("match", Arity.exactly(1), Context.OPAQUE, true, HTTP));
    }
}
