package io.zonesync.http.geo;

import static io.zonesync.config.Context.HTTP;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.Variable;
import java.util.List;

/**
 * nginx's geo module: {@code geo [$address] $variable { ... }} gives {@code $variable} the value of
 * the longest network (or, with {@code ranges}, the range) holding the address
 * ({@code $remote_addr} by default); see {@link GeoTable}. Declared like a map.
 */
public final class GeoModule implements ConfModule, HttpFeature {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_geo_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.block("geo", Arity.between(1, 2), Context.OPAQUE, true, HTTP));
    }

    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        for (Directive d : http.scope().block().all("geo")) {
            String name = variableName(d);
            if (http.variables().isDefined(name)) {
                throw d.error("the duplicate \"%s\" variable", name);
            }
            http.variables().define(name, new Geo());
        }
    }

    @Override
    public void finishHttp(CompileScope http) throws ConfigException {
        for (Directive d : http.scope().block().all("geo")) {
            Geo geo = (Geo) http.variables().lookup(variableName(d));
            ComplexValue source = http.compile(d, d.argCount() == 2 ? d.arg(0) : "$remote_addr");
            geo.table = GeoTable.compile(d, source);
        }
    }

    private static String variableName(Directive d) throws ConfigException {
        String arg = d.arg(d.argCount() - 1);
        if (arg.length() < 2 || arg.charAt(0) != '$') {
            throw d.error("invalid variable name \"%s\"", arg);
        }
        return arg.substring(1);
    }

    /** The variable of one geo block. */
    static final class Geo implements Variable {
        volatile GeoTable table;

        @Override
        public String value(RequestView request) {
            GeoTable t = table;
            return t == null ? null : t.lookup(request);
        }
    }
}
