package io.zonesync.http.healthcheck;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** Sends one health check request to a server; the future fails when no full response came in time. */
public interface HealthProbe {

    CompletableFuture<ProbeResponse> probe(InetSocketAddress address, ProbeRequest request);

    /**
     * @param host the Host header
     * @param uri the request target
     * @param connectTimeoutMs {@code proxy_connect_timeout}
     * @param readTimeoutMs {@code proxy_read_timeout}: between two reads of the response
     */
    record ProbeRequest(String host, String uri, long connectTimeoutMs, long readTimeoutMs) {
    }
}
