package io.zonesync.node;

import io.zonesync.config.ConfModule;
import io.zonesync.http.core.HttpFeature;
import java.util.function.Function;

/**
 * One http module as the node registers it: its directives, and how its part in requests is built
 * for a configuration from what the node provides ({@link HttpServices}). A module with no part in
 * requests (only directives other modules read) builds none.
 */
record HttpModule(ConfModule directives, Function<HttpServices, HttpFeature> feature) {

    /** A module whose directives and request handling are one object with nothing to be given. */
    static <M extends ConfModule & HttpFeature> HttpModule of(M module) {
        return new HttpModule(module, services -> module);
    }

    /** A module of directives only. */
    static HttpModule directives(ConfModule module) {
        return new HttpModule(module, services -> null);
    }
}
