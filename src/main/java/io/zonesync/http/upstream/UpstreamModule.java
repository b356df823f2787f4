package io.zonesync.http.upstream;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_UPSTREAM;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The directives of nginx's upstream module: {@code upstream name { server address [weight=n]
 * [max_fails=n] [fail_timeout=time] [backup] [down] [drain] [route=string] [max_conns=n] [resolve]
 * [service=name]; keepalive n; keepalive_timeout time; keepalive_requests n; zone name [size] [sync];
 * state file; least_time header|last_byte [inflight]; queue n [timeout=time]; resolver address ...;
 * resolver_timeout time; }}. ({@code sticky} belongs to
 * {@link io.zonesync.http.sticky.StickyModule}.) Values are checked by {@link UpstreamSpec}.
 */
public final class UpstreamModule implements ConfModule {
    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_upstream_module", "ngx_http_upstream_keepalive_module", "ngx_http_upstream_zone_module",
                "ngx_http_upstream_least_conn_module", "ngx_http_upstream_ip_hash_module",
                "ngx_http_upstream_hash_module", "ngx_http_upstream_random_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.block("upstream", Arity.exactly(1), HTTP_UPSTREAM, true, HTTP));
        r.register(DirectiveSpec.repeatable("server", Arity.atLeast(1), HTTP_UPSTREAM));
        r.register(DirectiveSpec.single("keepalive", Arity.exactly(1), HTTP_UPSTREAM));
        r.register(DirectiveSpec.single("keepalive_timeout", Arity.exactly(1), HTTP_UPSTREAM));
        r.register(DirectiveSpec.single("keepalive_requests", Arity.exactly(1), HTTP_UPSTREAM));
        r.register(DirectiveSpec.single("zone", Arity.between(1, 3), HTTP_UPSTREAM));
        r.register(DirectiveSpec.single("state", Arity.exactly(1), HTTP_UPSTREAM));
        r.register(DirectiveSpec.single("queue", Arity.between(1, 2), HTTP_UPSTREAM));
        r.register(DirectiveSpec.single("resolver", Arity.atLeast(1), HTTP_UPSTREAM));
        r.register(DirectiveSpec.single("resolver_timeout", Arity.exactly(1), HTTP_UPSTREAM));
        r.register(DirectiveSpec.repeatable("least_conn", Arity.NONE, HTTP_UPSTREAM));
        r.register(DirectiveSpec.repeatable("least_time", Arity.between(1, 2), HTTP_UPSTREAM));
        r.register(DirectiveSpec.repeatable("ip_hash", Arity.NONE, HTTP_UPSTREAM));
        r.register(DirectiveSpec.repeatable("hash", Arity.between(1, 2), HTTP_UPSTREAM));
        r.register(DirectiveSpec.repeatable("random", Arity.between(0, 2), HTTP_UPSTREAM));
    }
}
