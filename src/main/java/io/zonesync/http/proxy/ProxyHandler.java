package io.zonesync.http.proxy;

import io.zonesync.http.core.ContentHandler;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.proxycache.CachePolicy;

/**
 * The content handler of a location with {@code proxy_pass}: streams the request through, after a
 * look in the cache when {@code proxy_cache} is on.
 */
final class ProxyHandler implements ContentHandler {
    private final ProxyRoute route;
    private final CachePolicy cache;

    ProxyHandler(ProxyRoute route, CachePolicy cache) {
        this.route = route;
        this.cache = cache;
    }

    @Override
    public BodyMode bodyMode() {
        return route.settings().namesRequestBody() ? BodyMode.READ_THEN_STREAM : BodyMode.STREAM;
    }

    @Override
    public void handle(HttpExchange exchange) {
        if (cache == null) {
            new ProxiedRequest(exchange, route, exchange.nowMillis(), null).start();
            return;
        }
        exchange.setAttribute(UpstreamTrail.PROXY_HOST, route.proxyHost()); // for the key's $proxy_host
        cache.handle(exchange, fill -> new ProxiedRequest(exchange, route, exchange.nowMillis(), fill).start());
    }

    @Override
    public String toString() {
        return "proxy_pass to " + route.proxyHost();
    }
}
