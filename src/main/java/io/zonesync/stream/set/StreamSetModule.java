package io.zonesync.stream.set;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamServer;
import io.zonesync.stream.core.StreamValue;
import io.zonesync.stream.core.StreamVariables;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * nginx's stream set module: {@code set $variable value} in a server gives the variable its value
 * for that server's sessions in the preaccess phase. The variable exists in every server (empty
 * where none sets it), as in nginx; a name another module defines cannot be set.
 */
public final class StreamSetModule implements ConfModule, StreamFeature {
    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_set_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("set", Arity.exactly(2), Context.STREAM_SERVER));
    }

    /** The names this configuration's {@code set} lines define (lower case): one feature per configuration. */
    private final Set<String> defined = new HashSet<>();

    @Override
    public void defineVariables(StreamCompile stream) throws ConfigException {
        StreamVariables vars = stream.variables();
        for (Directive server : stream.scope().block().all("server")) {
            for (Directive d : server.block().all("set")) {
                String name = name(d);
                String key = name.toLowerCase(Locale.ROOT);
                if (!vars.isDefined(name)) {
                    vars.define(name, session -> session.value(key));
                    defined.add(key);
                } else if (!defined.contains(key)) {
                    throw d.error("the duplicate \"%s\" variable", name);
                }
            }
        }
    }

    private static String name(Directive d) throws ConfigException {
        String v = d.arg(0);
        if (!v.startsWith("$") || v.length() < 2) {
            throw d.error("invalid variable name \"%s\"", v);
        }
        return v.substring(1);
    }

    @Override
    public void configureServer(StreamCompile stream, StreamServer.Builder server) throws ConfigException {
        for (Directive d : server.conf().scope().block().all("set")) {
            String key = name(d).toLowerCase(Locale.ROOT);
            StreamValue value = StreamValue.compile(d.arg(1), stream.variables(), d.where());
            server.preaccess(session -> {
                session.value(key, value.evaluate(session));
                return 0;
            });
        }
    }
}
