package io.zonesync.access;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/** {@code allow} and {@code deny} in the stream block and its servers (nginx's ngx_stream_access_module). */
public final class StreamAccessModule implements ConfModule {
    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_access_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("allow", Arity.exactly(1), Context.STREAM, Context.STREAM_SERVER));
        r.register(DirectiveSpec.repeatable("deny", Arity.exactly(1), Context.STREAM, Context.STREAM_SERVER));
    }
}
