package io.zonesync.http.accesslog;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * nginx's log module: {@code access_log} and {@code log_format}. The core's log phase writes the
 * lines ({@link AccessLog}, {@link AccessLogWriter}), as every nginx has this module built in.
 */
public final class AccessLogModule implements ConfModule {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_log_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("access_log", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.repeatable("log_format", Arity.atLeast(2), HTTP));
    }
}
