package io.zonesync.http.healthcheck;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * An http {@code health_check}'s check of one server: the request sent through a
 * {@link HealthProbe}, and the {@link MatchSpec} its response must meet. Immutable.
 */
public record HttpCheck(MatchSpec match, HealthProbe.ProbeRequest request) {

    /** Null when the response met the match, else what was wrong with it; fails when none came. */
    public CompletableFuture<String> run(HealthProbe probe, InetSocketAddress address) {
        return probe.probe(address, request)
                .thenApply(response -> match.test(response) ? null : "response (status " + response.status() + ")");
    }
}
