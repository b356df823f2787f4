package io.zonesync.stream.map;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.DeclaredVariable;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's stream map module: {@code map SOURCE $variable { ... }} ({@link StreamMapTable}). Every
 * map's variable is declared before any table compiles, so a map may use any variable, another
 * map's included.
 */
public final class StreamMapModule implements ConfModule, StreamFeature {
    /** The declared variables of the configuration being compiled: one feature per configuration. */
    private final List<Declared> declared = new ArrayList<>();

    private record Declared(Directive map, DeclaredVariable variable) {
    }

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_map_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.block("map", Arity.exactly(2), Context.OPAQUE, true, Context.STREAM));
        // the sizes of nginx's hash of map keys: zonesync's tables have no fixed size
        r.register(DirectiveSpec.single("map_hash_max_size", Arity.exactly(1), Context.STREAM));
        r.register(DirectiveSpec.single("map_hash_bucket_size", Arity.exactly(1), Context.STREAM));
    }

    @Override
    public void defineVariables(StreamCompile stream) throws ConfigException {
        for (Directive map : stream.scope().block().all("map")) {
            declared.add(new Declared(map, DeclaredVariable.declare(stream.variables(), map, map.arg(1))));
        }
    }

    @Override
    public void finishVariables(StreamCompile stream) throws ConfigException {
        for (Declared d : declared) {
            d.variable().define(StreamMapTable.compile(d.map(), stream.variables())::lookup);
        }
    }
}
