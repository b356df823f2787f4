package io.zonesync.http.headers;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.HttpFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's headers module: {@code add_header} and {@code expires}, as header filters of every
 * location they are in effect in.
 */
public final class HeadersModule implements ConfModule, HttpFeature {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_headers_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("add_header", Arity.between(2, 3), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("expires", Arity.between(1, 2), HTTP, HTTP_SERVER, HTTP_LOCATION));
    }

    @Override
    public List<HeaderFilter> headerFilters(CompileScope location) throws ConfigException {
        List<HeaderAddition> additions = new ArrayList<>();
        for (Directive d : location.scope().effective("add_header")) {
            boolean always = false;
            if (d.argCount() == 3) {
                if (!d.arg(2).equals("always")) {
                    throw d.error("invalid parameter \"%s\"", d.arg(2));
                }
                always = true;
            }
            additions.add(new HeaderAddition(d.arg(0), location.compile(d, d.arg(1)), always));
        }
        List<HeaderFilter> filters = new ArrayList<>();
        Directive expires = location.scope().effectiveFirst("expires");
        Expires e = expires == null ? null : Expires.compile(expires);
        if (e != null) {
            filters.add(e);
        }
        if (!additions.isEmpty()) {
            filters.add(new AddHeaders(additions));
        }
        return filters;
    }

    /** The add_headers of one location, applied in order. */
    public record AddHeaders(List<HeaderAddition> additions) implements HeaderFilter {
        @Override
        public void filter(int status, HttpHeaders headers, HttpExchange ex) {
            for (HeaderAddition a : additions) {
                if (a.appliesTo(status)) {
                    String v = a.value().evaluate(ex);
                    if (!v.isEmpty()) {
                        headers.add(a.name(), v);
                    }
                }
            }
        }
    }
}
