package io.zonesync.http.core;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/**
 * An {@link HttpRuntime} compiled from configuration text as the node compiles it
 * ({@link TestConfigs}), listening on 127.0.0.1:0, with a client that speaks to it over real HTTP.
 */
public final class TestServer implements AutoCloseable {
    private final HttpRuntime runtime;
    private final int port;
    private final HttpClient client = HttpClient.newHttpClient();

    private TestServer(HttpRuntime runtime) {
        this.runtime = runtime;
        this.port = runtime.boundPort("127.0.0.1:0");
    }

    /** @param config the configuration, with a server listening on {@code 127.0.0.1:0} */
    public static TestServer start(Path prefix, String config) throws Exception {
        return new TestServer(HttpRuntime.start(TestConfigs.compile(config, prefix, List.of())));
    }

    /** As above, with more directive modules (e.g. TLS) than the core set of {@link TestConfigs}. */
    public static TestServer start(Path prefix, String config, io.zonesync.config.ConfModule... modules)
            throws Exception {
        return new TestServer(HttpRuntime.start(TestConfigs.compile(config, prefix, List.of(), modules)));
    }

    public HttpRuntime runtime() {
        return runtime;
    }

    public int port() {
        return port;
    }

    /** GET {@code path}, with headers given as name, value, name, value... */
    public HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        runtime.shutdownNow();
    }
}
