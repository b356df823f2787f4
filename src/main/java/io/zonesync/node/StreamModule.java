package io.zonesync.node;

import io.zonesync.config.ConfModule;
import io.zonesync.stream.core.StreamFeature;
import java.util.function.Function;

/**
 * One stream module as the node registers it: its directives, and how its part in stream
 * sessions is built for a configuration from what the node provides ({@link StreamServices}); a
 * module of directives only (read by zone_sync) builds none.
 */
record StreamModule(ConfModule directives, Function<StreamServices, StreamFeature> feature) {

    static StreamModule directives(ConfModule module) {
        return new StreamModule(module, services -> null);
    }
}
