package io.zonesync.http.proxycache;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The proxy cache directives ({@code proxy_cache_path}, {@code proxy_cache}, {@code proxy_cache_key},
 * {@code proxy_cache_valid}, ...). They are part of nginx's proxy module, so {@code -V} names no
 * module of their own; {@link CacheZones} compiles them for the proxy.
 */
public final class ProxyCacheModule implements ConfModule {

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("proxy_cache_path", Arity.atLeast(2), HTTP));
        r.register(DirectiveSpec.single("proxy_cache", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_cache_key", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.repeatable("proxy_cache_valid", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_cache_methods", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        for (String name : List.of("proxy_cache_bypass", "proxy_no_cache")) {
            r.register(DirectiveSpec.repeatable(name, Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        }
        r.register(DirectiveSpec.single("proxy_cache_min_uses", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_cache_revalidate", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_cache_convert_head", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_cache_background_update", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_cache_purge", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("proxy_cache_lock", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        for (String name : List.of("proxy_cache_lock_timeout", "proxy_cache_lock_age")) {
            r.register(DirectiveSpec.single(name, Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        }
        r.register(DirectiveSpec.single("proxy_cache_use_stale", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
    }
}
