package io.zonesync.http.map;

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
import java.util.List;

/**
 * nginx's map module: {@code map SOURCE $variable { ... }} defines {@code $variable} from the value
 * of SOURCE ({@link MapTable}). The variable is declared before any directive is compiled, and its
 * table is compiled once every module has defined its variables, so either side of a map may use
 * any variable, as in nginx.
 */
public final class MapModule implements ConfModule, HttpFeature {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_map_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.block("map", Arity.exactly(2), Context.OPAQUE, true, HTTP));
        // the sizes of nginx's hash of map keys: zonesync's tables have no fixed size
        r.register(DirectiveSpec.single("map_hash_max_size", Arity.exactly(1), HTTP));
        r.register(DirectiveSpec.single("map_hash_bucket_size", Arity.exactly(1), HTTP));
    }

    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        for (Directive map : http.scope().block().all("map")) {
            DeclaredVariable.declare(http, map, map.arg(1));
        }
    }

    @Override
    public void finishHttp(CompileScope http) throws ConfigException {
        for (Directive map : http.scope().block().all("map")) {
            DeclaredVariable.define(http, map, map.arg(1), MapTable.compile(map, http.variables())::lookup);
        }
    }
}
