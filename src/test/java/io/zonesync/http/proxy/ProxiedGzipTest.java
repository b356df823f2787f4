package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.node.Node;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gzip on a proxied body that arrives in pieces: compressed as it streams, whole when unzipped. */
class ProxiedGzipTest {

    @Test
    void aChunkedUpstreamBodyIsGzippedAsItStreams(@TempDir Path dir) throws Exception {
        try (TestBackend backend = new TestBackend("b")) {
            Node node = ProxyNodes.start(dir, ProxyNodes.http("gzip on; gzip_types *;\n"
                    + "server { listen 127.0.0.1:0; location / { proxy_pass http://" + backend.address() + "; } }"));
            try {
                HttpClient client = HttpClient.newHttpClient();
                URI uri = URI.create("http://127.0.0.1:" + ProxyNodes.port(node) + "/chunked?n=300000");
                HttpResponse<byte[]> plain = client.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                HttpResponse<byte[]> zipped = client.send(HttpRequest.newBuilder(uri)
                        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
                assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
                assertThat(zipped.body().length).isLessThan(plain.body().length);
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
                    assertThat(in.readAllBytes()).isEqualTo(plain.body()).hasSize(300_000);
                }
            } finally {
                node.stop();
            }
        }
    }
}
