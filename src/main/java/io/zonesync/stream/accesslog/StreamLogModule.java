package io.zonesync.stream.accesslog;

import static io.zonesync.config.Context.STREAM;
import static io.zonesync.config.Context.STREAM_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/** The directives of nginx's stream log module, compiled by {@link StreamAccessLogFeature}. */
public final class StreamLogModule implements ConfModule {
    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_log_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("log_format", Arity.atLeast(2), STREAM));
        r.register(DirectiveSpec.repeatable("access_log", Arity.atLeast(1), STREAM, STREAM_SERVER));
    }
}
