package io.zonesync.http.metrics;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;

/**
 * zonesync's metrics module: the {@code metrics} directive, which makes a location answer with the
 * node's figures for Prometheus ({@link MetricsFeature} answers it). NGINX Plus has no such module;
 * its users run nginx-prometheus-exporter, whose names the figures keep.
 */
public final class MetricsModule implements ConfModule {

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("metrics", Arity.exactly(0), Context.HTTP_LOCATION));
    }
}
