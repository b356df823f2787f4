package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.zonesync.http.authrequest.AuthRequestModule;
import io.zonesync.http.mirror.MirrorModule;
import io.zonesync.http.realip.RealIpModule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subrequests as auth_request and mirror make them: what the subrequest is (method, URI, the
 * parent's $request_uri, headers and client address), that its access checks are skipped and its internal
 * redirects are counted, that a mirror does not hold its request back and auth_request waits.
 */
class SubrequestTest {
    @TempDir
    Path dir;
    private final TestFeature feature = new TestFeature();
    private HttpRuntime runtime;
    private int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        AuthRequestModule auth = new AuthRequestModule();
        MirrorModule mirror = new MirrorModule();
        RealIpModule realip = new RealIpModule();
        runtime = HttpRuntime.start(TestConfigs.compile("http { access_log off;\n"
                + " server { listen 127.0.0.1:0; set_real_ip_from 127.0.0.1; real_ip_header X-Forwarded-For;\n"
                + "  location /m/ { mirror /_park; echo_body; }\n"
                + "  location /a/ { auth_request /_park; echo_body; }\n"
                + "  location = /_park { internal; park sub; }\n"
                + "  location /loop/ { auth_request /_loop; echo_body; }\n"
                + "  location = /_loop { internal; rewrite ^ /_loop2 last; }\n"
                + "  location = /_loop2 { rewrite ^ /_loop last; }\n"
                + "  location /skip/ { auth_request /_guarded; echo_body; }\n"
                + "  location = /_guarded { internal; deny_with 403; echo_body; }\n"
                + " }\n}\n", dir, List.of(realip, feature, auth, mirror), realip, feature, auth,
                mirror));
        port = runtime.boundPort("127.0.0.1:0");
    }

    @AfterEach
    void stop() {
        runtime.shutdownNow();
    }

    private CompletableFuture<HttpResponse<String>> send(String method, String path, String body) {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-Test", "t")
                .header("X-Forwarded-For", "192.0.2.7")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build();
        return client.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    private HttpExchange parked() throws InterruptedException {
        HttpExchange ex = feature.parked.poll(10, TimeUnit.SECONDS);
        assertThat(ex).as("a parked subrequest").isNotNull();
        return ex;
    }

    @Test
    void aMirrorIsASubrequestOfTheSameRequestAndDoesNotHoldItBack() throws Exception {
        HttpResponse<String> main = send("POST", "/m/x?a=1", "hello").get(10, TimeUnit.SECONDS);
        assertThat(main.statusCode()).isEqualTo(200);
        assertThat(main.body()).isEqualTo("5:hello");
        HttpExchange sub = parked(); // still unanswered: the main request did not wait for it
        assertThat(sub.isSubrequest()).isTrue();
        assertThat(sub.method()).isEqualTo("POST");
        assertThat(sub.uri()).isEqualTo("/_park");
        assertThat(sub.args()).isEqualTo("a=1");
        assertThat(sub.requestUri()).isEqualTo("/m/x?a=1");
        assertThat(sub.header("X-Test")).isEqualTo("t");
        assertThat(sub.variable("request_method")).isEqualTo("POST");
        assertThat(sub.variable("remote_addr")).as("the client realip found for the parent").isEqualTo("192.0.2.7");
        sub.respond(200, "text/plain", "dropped");
    }

    @Test
    void authRequestWaitsForItsSubrequestAndPassesTheChallenge() throws Exception {
        CompletableFuture<HttpResponse<String>> main = send("PUT", "/a/x", "body");
        HttpExchange sub = parked();
        assertThat(sub.method()).isEqualTo("GET");
        assertThat(sub.variable("request_method")).isEqualTo("PUT");
        assertThat(main).isNotDone();
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        h.set("WWW-Authenticate", "Bearer");
        sub.respond(401, h, Unpooled.copiedBuffer("not for the client", java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> r = main.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(r.body()).doesNotContain("not for the client");

        main = send("GET", "/a/y", null);
        parked().startResponse(204, null).end();
        assertThat(main.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aSubrequestsRedirectsAreCounted() throws Exception {
        assertThat(send("GET", "/loop/x", null).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
    }

    @Test
    void aSubrequestSkipsTheAccessChecksItsParentPassed() throws Exception {
        assertThat(send("GET", "/skip/x", null).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void theSubrequestsLocationStaysInternal() throws Exception {
        assertThat(send("GET", "/_park", null).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
        assertThat(feature.parked).isEmpty();
    }
}
