package io.zonesync.http.gzip;

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
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * nginx's gzip module: {@code gzip}, {@code gzip_types}, {@code gzip_min_length},
 * {@code gzip_comp_level}, {@code gzip_vary}, {@code gzip_proxied}, {@code gzip_http_version},
 * {@code gzip_disable} and {@code gzip_buffers} (accepted: zonesync encodes as the body goes),
 * compiled per location into a {@link GzipFilter}.
 */
public final class GzipModule implements ConfModule, HttpFeature {
    private static final Set<String> PROXIED = Set.of("off", "expired", "no-cache", "no-store", "private",
            "no_last_modified", "no_etag", "auth", "any");

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_gzip_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("gzip", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("gzip_types", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("gzip_min_length", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("gzip_comp_level", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("gzip_vary", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("gzip_proxied", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("gzip_http_version", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("gzip_disable", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("gzip_buffers", Arity.exactly(2), HTTP, HTTP_SERVER, HTTP_LOCATION));
    }

    @Override
    public List<HeaderFilter> headerFilters(CompileScope location) throws ConfigException {
        Scope scope = location.scope();
        Directive on = scope.effectiveFirst("gzip");
        if (on == null || !Values.flag(on)) {
            return List.of();
        }
        List<String> types = new ArrayList<>(List.of("text/html"));
        Directive t = scope.effectiveFirst("gzip_types");
        if (t != null) {
            for (String type : t.args()) {
                types.add(type.toLowerCase(Locale.ROOT));
            }
        }
        Directive ml = scope.effectiveFirst("gzip_min_length");
        long minLength = ml == null ? 20 : Values.size(ml, ml.arg(0));
        int level = 1;
        Directive cl = scope.effectiveFirst("gzip_comp_level");
        if (cl != null) {
            level = Values.positiveInt(cl, cl.arg(0));
            if (level > 9) {
                throw cl.error("the \"gzip_comp_level\" directive must be between 1 and 9");
            }
        }
        Directive vary = scope.effectiveFirst("gzip_vary");
        Directive hv = scope.effectiveFirst("gzip_http_version");
        boolean http10 = false;
        if (hv != null) {
            if (!hv.arg(0).equals("1.0") && !hv.arg(0).equals("1.1")) {
                throw hv.error("invalid value \"%s\" in \"gzip_http_version\" directive, it must be \"1.0\" or"
                        + " \"1.1\"", hv.arg(0));
            }
            http10 = hv.arg(0).equals("1.0");
        }
        Set<String> proxied = Set.of("off");
        Directive px = scope.effectiveFirst("gzip_proxied");
        if (px != null) {
            for (String p : px.args()) {
                if (!PROXIED.contains(p)) {
                    throw px.error("invalid value \"%s\" in \"gzip_proxied\" directive", p);
                }
            }
            proxied = Set.copyOf(px.args());
        }
        List<Pattern> disable = new ArrayList<>();
        Directive dis = scope.effectiveFirst("gzip_disable");
        if (dis != null) {
            for (String re : dis.args()) {
                try {
                    // "msie6" is nginx's shorthand for MSIE 4 to 6 without SV1
                    disable.add(re.equals("msie6") ? Pattern.compile("MSIE [4-6]\\.(?!.*SV1)")
                            : Pattern.compile(re, Pattern.CASE_INSENSITIVE));
                } catch (PatternSyntaxException e) {
                    throw dis.error("pcre_compile() failed: %s in \"%s\"", e.getDescription(), re);
                }
            }
        }
        Directive buffers = scope.effectiveFirst("gzip_buffers");
        if (buffers != null) {
            Values.positiveInt(buffers, buffers.arg(0));
            Values.size(buffers, buffers.arg(1));
        }
        return List.of(new GzipFilter(types, minLength, level, vary != null && Values.flag(vary), http10, proxied,
                disable));
    }
}
