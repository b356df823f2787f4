package io.zonesync.http.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.vars.CoreVariables;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.VariableProvider;
import io.zonesync.http.vars.VariableRegistry;
import java.util.List;

/**
 * The proxy's variables: {@code $upstream_addr}, {@code $upstream_status},
 * {@code $upstream_http_NAME} (dashes as underscores), {@code $upstream_cookie_NAME},
 * {@code $proxy_host}, {@code $proxy_port} and {@code $proxy_add_x_forwarded_for}.
 */
public final class UpstreamVariables implements VariableProvider {

    @Override
    public void defineVariables(VariableRegistry r) {
        r.define("upstream_addr", req -> trail(req) == null ? null : trail(req).addresses());
        r.define("upstream_status", req -> trail(req) == null ? null : trail(req).statuses());
        r.define("upstream_connect_time", req -> trail(req) == null ? null : trail(req).connectTimes());
        r.define("upstream_header_time", req -> trail(req) == null ? null : trail(req).headerTimes());
        r.define("upstream_response_time", req -> trail(req) == null ? null : trail(req).responseTimes());
        r.definePrefix("upstream_http_", name -> req -> {
            UpstreamTrail t = trail(req);
            HttpHeaders h = t == null ? null : t.headers();
            if (h == null) {
                return null;
            }
            List<String> values = h.getAll(name.replace('_', '-'));
            return values.isEmpty() ? null : String.join(", ", values);
        });
        r.definePrefix("upstream_cookie_", name -> req -> trail(req) == null ? null : trail(req).cookie(name));
        r.define("proxy_host", req -> req.attribute(UpstreamTrail.PROXY_HOST));
        r.define("proxy_port", req -> {
            String host = req.attribute(UpstreamTrail.PROXY_HOST);
            if (host == null) {
                return null;
            }
            int colon = host.lastIndexOf(':');
            return colon > host.lastIndexOf(']') ? host.substring(colon + 1) : "80";
        });
        r.define("proxy_add_x_forwarded_for", req -> {
            String remote = CoreVariables.addressText(req.remoteAddress());
            List<String> prior = req.headers("X-Forwarded-For");
            return prior.isEmpty() ? remote : String.join(", ", prior) + ", " + remote;
        });
    }

    private static UpstreamTrail trail(RequestView req) {
        return req.attribute(UpstreamTrail.KEY);
    }
}
