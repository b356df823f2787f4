package io.zonesync.http.statuszone;

import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.List;

/**
 * NGINX Plus's {@code status_zone} for http servers and locations ({@link StatusZoneFeature}
 * counts). It is part of NGINX Plus's API module, which has no configure flag of its own.
 */
public final class StatusZoneModule implements ConfModule {

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("status_zone", Arity.exactly(1), HTTP_SERVER, HTTP_LOCATION));
    }
}
