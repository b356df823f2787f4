package io.zonesync.http.dashboard;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;

/**
 * The {@code dashboard [API_URI]} directive of a location: a live status page like NGINX Plus's
 * dashboard.html, read from the API at {@code API_URI} ({@link DashboardFeature} answers it).
 */
public final class DashboardModule implements ConfModule {

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("dashboard", Arity.between(0, 1), Context.HTTP_LOCATION));
    }
}
