package io.zonesync.stream.upstream;

import static io.zonesync.config.Context.STREAM;
import static io.zonesync.config.Context.STREAM_UPSTREAM;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The directives of nginx's stream upstream modules: {@code upstream name { server address:port
 * [weight=n] [max_fails=n] [fail_timeout=time] [backup] [down] [max_conns=n] [resolve [service=name]]
 * [slow_start=time]; zone name [size];
 * least_conn; hash key [consistent]; random [two [least_conn]]; }}. Checked and compiled by
 * {@link StreamUpstreams}.
 */
public final class StreamUpstreamModule implements ConfModule {
    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_upstream_module", "ngx_stream_upstream_hash_module",
                "ngx_stream_upstream_least_conn_module", "ngx_stream_upstream_random_module",
                "ngx_stream_upstream_zone_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.block("upstream", Arity.exactly(1), STREAM_UPSTREAM, true, STREAM));
        r.register(DirectiveSpec.repeatable("server", Arity.atLeast(1), STREAM_UPSTREAM));
        r.register(DirectiveSpec.single("zone", Arity.between(1, 3), STREAM_UPSTREAM));
        r.register(DirectiveSpec.repeatable("least_conn", Arity.NONE, STREAM_UPSTREAM));
        r.register(DirectiveSpec.repeatable("hash", Arity.between(1, 2), STREAM_UPSTREAM));
        r.register(DirectiveSpec.repeatable("random", Arity.between(0, 2), STREAM_UPSTREAM));
    }
}
