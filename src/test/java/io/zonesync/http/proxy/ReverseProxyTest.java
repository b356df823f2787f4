package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.node.Node;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reverse proxy against real backends on loopback. */
class ReverseProxyTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> closeMe = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeMe) {
            c.close();
        }
    }

    private TestBackend backend(String name) {
        TestBackend b = new TestBackend(name);
        closeMe.add(b);
        return b;
    }

    private Node node(String httpBody) throws Exception {
        Node n = ProxyNodes.start(dir, "worker_processes 2;\n" + ProxyNodes.http(httpBody));
        closeMe.add(n::stop);
        port = ProxyNodes.port(n);
        return n;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        return client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Test
    void passesRequestToUpstreamWithNginxDefaultHeaders() throws Exception {
        TestBackend a = backend("a");
        node("upstream backend { server " + a.address() + "; }\n"
                + "server { listen 127.0.0.1:0; location / { proxy_pass http://backend; } }");
        HttpResponse<String> r = get("/hello?x=1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("a /hello?x=1");
        assertThat(r.headers().firstValue("X-Backend")).hasValue("a");
        assertThat(r.headers().firstValue("Server").orElse("")).startsWith("zonesync");
        HttpHeaders seen = a.lastHeaders();
        assertThat(seen.get("Host")).isEqualTo("backend");
        assertThat(seen.get("Connection")).isEqualTo("close");
        assertThat(a.seen.peek().protocolVersion().text()).isEqualTo("HTTP/1.0");
    }

    @Test
    void proxySetBodyAndPassRequestBodyOffReplaceOrDropTheClientsBody() throws Exception {
        TestBackend a = backend("a");
        node("upstream backend { server " + a.address() + "; }\n"
                + "server { listen 127.0.0.1:0;\n"
                + " location /set/ { proxy_set_body \"n=$arg_n\"; proxy_pass http://backend/echo; }\n"
                + " location /recipe/ { proxy_pass_request_body off; proxy_set_header Content-Length \"\";\n"
                + "  proxy_pass http://backend/echo; } }");
        HttpResponse<byte[]> set = send(HttpRequest.newBuilder(uri("/set/?n=42"))
                .POST(HttpRequest.BodyPublishers.ofString("client body")));
        assertThat(new String(set.body())).isEqualTo("n=42");
        assertThat(a.lastHeaders().get("Content-Length")).isEqualTo("4");
        HttpResponse<byte[]> recipe = send(HttpRequest.newBuilder(uri("/recipe/"))
                .POST(HttpRequest.BodyPublishers.ofString("client body")));
        assertThat(recipe.body()).isEmpty();
        // (the backend's aggregator writes Content-Length: 0 itself; ProxyResponseDifferentialIT sees none)
        assertThat(a.lastHeaders().contains("Transfer-Encoding")).isFalse();
        // without the recipe's header the client's Content-Length goes up with no body, as in nginx, and this
        // backend would wait for it: ProxyResponseDifferentialIT compares that case against nginx
    }

    @Test
    void redirectsThatNameTheUpstreamAreRewrittenAsNginxsProxyRedirectDefault() throws Exception {
        TestBackend a = backend("a");
        String self = "http://127.0.0.1:";
        node("upstream backend { server " + a.address() + "; }\n"
                + "server { listen 127.0.0.1:0;\n"
                + " location / { proxy_pass http://backend; }\n"
                + " location /rd/ { proxy_pass http://" + a.address() + "/new/; }\n"
                + " location /off/ { proxy_pass http://backend; proxy_redirect off; }\n"
                + " location /own/ { proxy_pass http://backend; proxy_redirect http://elsewhere/ /there/; } }");
        HttpClient noFollow = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        Function<String, String> location = path -> {
            try {
                return noFollow.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString())
                        .headers().firstValue("Location").orElse(null);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        // the backend builds its URL from Host, which is the upstream's name: http://backend/ becomes /
        assertThat(location.apply("/redirect?to=http://backend/x?y=1")).isEqualTo(self + port + "/x?y=1");
        // with a URI part, the proxy_pass URL becomes the location's prefix
        assertThat(location.apply("/rd/redirect?to=http://" + a.address() + "/new/target"))
                .isEqualTo(self + port + "/rd/target");
        assertThat(location.apply("/redirect?to=https://example.com/z")).isEqualTo("https://example.com/z");
        assertThat(location.apply("/off/redirect?to=http://backend/x")).isEqualTo("http://backend/x");
        assertThat(location.apply("/own/redirect?to=http://elsewhere/a")).isEqualTo(self + port + "/there/a");
    }

    @Test
    void smoothWeightedRoundRobinAsNginx() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        node("upstream backend { server " + a.address() + " weight=3; server " + b.address() + "; }\n"
                + "server { listen 127.0.0.1:0; location / { proxy_pass http://backend; } }");
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            order.append(get("/").headers().firstValue("X-Backend").orElseThrow());
        }
        assertThat(order.toString()).isEqualTo("aabaaaba");
    }

    @Test
    void streamsLargeChunkedBodiesBothWays() throws Exception {
        TestBackend a = backend("a");
        node("upstream backend { server " + a.address() + "; }\n"
                + "server { listen 127.0.0.1:0; client_max_body_size 0; location / { proxy_pass http://backend; } }");
        byte[] upload = TestBackend.pattern(3 * 1024 * 1024 + 17);
        HttpResponse<byte[]> echoed = send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(upload))));
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.body()).isEqualTo(upload);
        // a chunked body goes chunked, which needs HTTP/1.1 on the request line
        assertThat(a.last().protocolVersion().text()).isEqualTo("HTTP/1.1");

        HttpResponse<byte[]> big = send(HttpRequest.newBuilder(uri("/big?n=10485760")));
        assertThat(big.headers().firstValue("Content-Length")).hasValue("10485760");
        assertThat(big.body()).isEqualTo(TestBackend.pattern(10485760));

        HttpResponse<byte[]> chunked = send(HttpRequest.newBuilder(uri("/chunked?n=5000000")));
        assertThat(chunked.body()).isEqualTo(TestBackend.pattern(5000000));

        byte[] sized = TestBackend.pattern(2 * 1024 * 1024);
        HttpResponse<byte[]> put = send(HttpRequest.newBuilder(uri("/echo"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(sized)));
        assertThat(put.body()).isEqualTo(sized);
        assertThat(a.last().protocolVersion().text()).isEqualTo("HTTP/1.0");
    }

    @Test
    void headGetsHeadersWithoutBody() throws Exception {
        TestBackend a = backend("a");
        node("upstream backend { server " + a.address() + "; }\n"
                + "server { listen 127.0.0.1:0; location / { proxy_pass http://backend; } }");
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/big?n=1000"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue("1000");
        assertThat(r.body()).isEmpty();
        assertThat(a.seen.peek().method().name()).isEqualTo("HEAD");
        assertThat(get("/after").body()).isEqualTo("a /after");
    }

    @Test
    void upstreamClosingEarlyCutsTheClientConnectionAndTheNodeGoesOn() throws Exception {
        TestBackend a = backend("a");
        node("upstream backend { server " + a.address() + "; }\n"
                + "server { listen 127.0.0.1:0; location / { proxy_pass http://backend; } }");
        assertThatThrownBy(() -> get("/close-early")).isInstanceOf(IOException.class);
        assertThat(get("/fine").statusCode()).isEqualTo(200);
    }
}
