package io.zonesync.keyval;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * The keyval directives, in http and stream alike:
 * {@code keyval_zone zone=name:size [state=file] [timeout=time] [type=string|ip|prefix] [sync];}
 * and {@code keyval key $variable zone=name;}. Values are checked by {@link KeyvalConfig#compile}.
 */
public final class KeyvalModule implements ConfModule {
    public static final String KEYVAL_ZONE = "keyval_zone";
    public static final String KEYVAL = "keyval";

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_keyval_module", "ngx_stream_keyval_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry registry) {
        registry.register(DirectiveSpec.repeatable(KEYVAL_ZONE, Arity.between(1, 5), Context.HTTP, Context.STREAM));
        registry.register(DirectiveSpec.repeatable(KEYVAL, Arity.exactly(3), Context.HTTP, Context.STREAM));
    }
}
