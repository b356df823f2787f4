package io.zonesync.http.subfilter;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * nginx's sub module: {@code sub_filter}, {@code sub_filter_once}, {@code sub_filter_types} and
 * {@code sub_filter_last_modified}, compiled per location into a {@link SubFilter}. Registered
 * before gzip, so that it rewrites the body before it is compressed, as in nginx's filter order.
 */
public final class SubFilterModule implements ConfModule, HttpFeature {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_sub_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("sub_filter", Arity.exactly(2), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("sub_filter_once", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("sub_filter_types", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("sub_filter_last_modified", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
    }

    @Override
    public List<HeaderFilter> headerFilters(CompileScope location) throws ConfigException {
        Scope scope = location.scope();
        List<SubFilter.Pair> pairs = new ArrayList<>();
        for (Directive d : scope.effective("sub_filter")) {
            if (d.arg(0).isEmpty()) {
                throw d.error("empty search pattern");
            }
            pairs.add(new SubFilter.Pair(location.compile(d, d.arg(0)), location.compile(d, d.arg(1))));
        }
        List<String> types = new ArrayList<>(List.of("text/html"));
        Directive t = scope.effectiveFirst("sub_filter_types");
        if (t != null) {
            for (String type : t.args()) {
                types.add(type.toLowerCase(Locale.ROOT));
            }
        }
        Directive once = scope.effectiveFirst("sub_filter_once");
        Directive lm = scope.effectiveFirst("sub_filter_last_modified");
        boolean replaceOnce = once == null || Values.flag(once);
        boolean keepLastModified = lm != null && Values.flag(lm);
        if (pairs.isEmpty()) {
            return List.of();
        }
        return List.of(new SubFilter(pairs, types, replaceOnce, keepLastModified));
    }
}
