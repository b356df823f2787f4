package io.zonesync.http.proxy;

import io.zonesync.http.core.ContentHandler;
import io.zonesync.http.core.HttpExchange;

/** The content handler of a location with {@code proxy_pass}: streams the request through. */
final class ProxyHandler implements ContentHandler {
    private final ProxyRoute route;

    ProxyHandler(ProxyRoute route) {
        this.route = route;
    }

    @Override
    public BodyMode bodyMode() {
        return route.settings().namesRequestBody() ? BodyMode.READ_THEN_STREAM : BodyMode.STREAM;
    }

    @Override
    public void handle(HttpExchange exchange) {
        new ProxiedRequest(exchange, route, exchange.nowMillis()).start();
    }

    @Override
    public String toString() {
        return "proxy_pass to " + route.proxyHost();
    }
}
