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
import io.zonesync.http.core.DeclaredVariable;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.vars.ComplexValue;
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
            DeclaredVariable.declare(http, d, d.arg(d.argCount() - 1));
        }
    }

    @Override
    public void finishHttp(CompileScope http) throws ConfigException {
        for (Directive d : http.scope().block().all("geo")) {
            ComplexValue source = http.compile(d, d.argCount() == 2 ? d.arg(0) : "$remote_addr");
            DeclaredVariable.define(http, d, d.arg(d.argCount() - 1), GeoTable.compile(d, source)::lookup);
        }
    }
}
