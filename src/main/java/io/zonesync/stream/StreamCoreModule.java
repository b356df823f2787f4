package io.zonesync.stream;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The {@code stream} block, its servers, their listeners, the stream resolver (zone_sync's), and the
 * core's limits on what a session reads first ({@code proxy_protocol_timeout}, {@code preread_*}).
 */
public final class StreamCoreModule implements ConfModule {
    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_module", "ngx_stream_core_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.block("stream", Arity.NONE, Context.STREAM, false, Context.MAIN));
        r.register(DirectiveSpec.block("server", Arity.NONE, Context.STREAM_SERVER, true, Context.STREAM));
        r.register(DirectiveSpec.repeatable("listen", Arity.atLeast(1), Context.STREAM_SERVER));
        r.register(DirectiveSpec.single("resolver", Arity.atLeast(1), Context.STREAM, Context.STREAM_SERVER));
        r.register(DirectiveSpec.single("proxy_protocol_timeout", Arity.exactly(1), Context.STREAM,
                Context.STREAM_SERVER));
        r.register(DirectiveSpec.single("preread_buffer_size", Arity.exactly(1), Context.STREAM,
                Context.STREAM_SERVER));
        r.register(DirectiveSpec.single("preread_timeout", Arity.exactly(1), Context.STREAM, Context.STREAM_SERVER));
        r.register(DirectiveSpec.single("resolver_timeout", Arity.exactly(1), Context.STREAM, Context.STREAM_SERVER));
    }
}
