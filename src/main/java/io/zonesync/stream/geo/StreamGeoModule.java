package io.zonesync.stream.geo;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.stream.core.DeclaredVariable;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamValue;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's stream geo module: {@code geo [ADDRESS] $variable { ... }} gives the variable the value of
 * the longest network (or, with {@code ranges}, the range) holding the address
 * ({@code $remote_addr} by default); see {@link StreamGeoTable}.
 */
public final class StreamGeoModule implements ConfModule, StreamFeature {
    /** The blocks of the configuration being compiled: one feature per configuration. */
    private final List<Declared> declared = new ArrayList<>();

    private record Declared(Directive block, DeclaredVariable variable) {
    }

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_geo_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.block("geo", Arity.between(1, 2), Context.OPAQUE, true, Context.STREAM));
    }

    @Override
    public void defineVariables(StreamCompile stream) throws ConfigException {
        for (Directive d : stream.scope().block().all("geo")) {
            declared.add(new Declared(d, DeclaredVariable.declare(stream.variables(), d, d.arg(d.argCount() - 1))));
        }
    }

    @Override
    public void finishVariables(StreamCompile stream) throws ConfigException {
        for (Declared d : declared) {
            Directive g = d.block();
            StreamValue source = StreamValue.compile(g.argCount() == 2 ? g.arg(0) : "$remote_addr",
                    stream.variables(), g.where());
            d.variable().define(StreamGeoTable.compile(g, source)::lookup);
        }
    }
}
