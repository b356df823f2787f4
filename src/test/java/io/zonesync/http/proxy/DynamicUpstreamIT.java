package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.node.Node;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.TestDnsServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server name resolve} against a real DNS server on loopback: addresses added and removed
 * under load (no request fails), a zone that starts empty (502 until DNS names a server), and a
 * reload that keeps the zone's peers and counters.
 */
class DynamicUpstreamIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<AutoCloseable> closeMe = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestDnsServer dns;
    private Node node;
    private int port;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeMe.size() - 1; i >= 0; i--) {
            closeMe.get(i).close();
        }
    }

    private TestBackend backend(String name, String ip, int port) {
        TestBackend b = new TestBackend(name, new InetSocketAddress(ip, port));
        closeMe.add(b);
        return b;
    }

    private String config(String upstreamBody) {
        return "worker_processes 1;\n" + ProxyNodes.http("resolver " + dns.address().getAddress().getHostAddress() + ":"
                + dns.address().getPort() + " valid=1s;\n"
                + "upstream my_backend {\n" + upstreamBody + "}\n"
                + "server { listen 127.0.0.1:0;\n"
                + " location / { proxy_pass http://my_backend; }\n"
                + " location /api { api write=on; } }");
    }

    private void start(String upstreamBody) throws Exception {
        dns = dns == null ? TestDnsServer.start() : dns;
        node = ProxyNodes.start(dir, config(upstreamBody));
        closeMe.add(node::stop);
        port = ProxyNodes.port(node);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Four clients asking without pause until stopped; what failed, and who answered. */
    private final class Load implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final Map<String, AtomicInteger> byBackend = new ConcurrentHashMap<>();
        final List<Thread> threads = new ArrayList<>();

        Load() {
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = get("/");
                            if (r.statusCode() != 200) {
                                failures.add(r.statusCode() + " " + r.body());
                            } else {
                                byBackend.computeIfAbsent(r.headers().firstValue("X-Backend").orElse("?"),
                                        k -> new AtomicInteger()).incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                });
                t.start();
                threads.add(t);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    private JsonNode upstream() throws Exception {
        return JSON.readTree(get("/api/9/http/upstreams/my_backend").body());
    }

    private List<String> servers() throws Exception {
        List<String> out = new ArrayList<>();
        upstream().get("peers").forEach(p -> out.add(p.get("server").asText()));
        return out;
    }

    @Test
    void addressesComeAndGoUnderLoadWithoutAFailedRequest() throws Exception {
        dns = TestDnsServer.start();
        closeMe.add(dns);
        TestBackend two = backend("two", "127.0.0.2", 0);
        int p = two.port();
        TestBackend three = backend("three", "127.0.0.3", p);
        dns.records("backends.test", 1, "127.0.0.2");
        // the admin guide's example, with a real DNS server
        start(" zone my_backend 64k;\n server backends.test:" + p + " resolve;\n"
                + " sticky learn zone=sessions:1m create=$upstream_cookie_session lookup=$cookie_session sync;\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> servers().equals(List.of("127.0.0.2:" + p)));

        Load load = new Load();
        try {
            dns.records("backends.test", 1, "127.0.0.2", "127.0.0.3");
            await().atMost(Duration.ofSeconds(10)).until(() -> three.requests.get() > 20);
            // a reload under load keeps both resolved servers (and the requests on them)
            node.reload(ProxyNodes.parse(dir, config(" zone my_backend 64k;\n server backends.test:" + p + " resolve;\n"
                    + " sticky learn zone=sessions:1m create=$upstream_cookie_session lookup=$cookie_session sync;\n")));
            assertThat(servers()).containsExactly("127.0.0.2:" + p, "127.0.0.3:" + p);
            int afterReload = three.requests.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> three.requests.get() > afterReload + 20);
            int twoPeerId = -1;
            for (JsonNode peer : upstream().get("peers")) {
                if (peer.get("server").asText().equals("127.0.0.2:" + p)) {
                    twoPeerId = peer.get("id").asInt();
                }
            }
            dns.records("backends.test", 1, "127.0.0.3");
            await().atMost(Duration.ofSeconds(10)).until(() -> servers().equals(List.of("127.0.0.3:" + p)));
            // requests already on their way to the removed address arrive during a first window
            int threeRemoved = three.requests.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> three.requests.get() > threeRemoved + 50);
            int twoServed = two.requests.get();
            int threeServed = three.requests.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> three.requests.get() > threeServed + 50);
            assertThat(two.requests.get()).as("requests to the removed address").isEqualTo(twoServed);
            dns.records("backends.test", 1, "127.0.0.2", "127.0.0.3");
            await().atMost(Duration.ofSeconds(10)).until(() -> two.requests.get() > twoServed + 20);
            assertThat(twoPeerId).isGreaterThanOrEqualTo(0);
            JsonNode three3 = null;
            for (JsonNode peer : upstream().get("peers")) {
                if (peer.get("server").asText().equals("127.0.0.3:" + p)) {
                    three3 = peer;
                }
                if (peer.get("server").asText().equals("127.0.0.2:" + p)) {
                    assertThat(peer.get("id").asInt()).as("a returning address is a new peer").isNotEqualTo(twoPeerId);
                }
            }
            assertThat(three3).isNotNull();
            assertThat(three3.get("requests").asLong()).as("the peer that stayed kept its counters")
                    .isGreaterThan(threeServed);
        } finally {
            load.close();
        }
        assertThat(load.failures).isEmpty();
        assertThat(load.byBackend.keySet()).containsExactlyInAnyOrder("two", "three");
    }

    @Test
    void aZoneWithoutServersAnswers502UntilDnsNamesOne() throws Exception {
        dns = TestDnsServer.start();
        closeMe.add(dns);
        TestBackend two = backend("two", "127.0.0.2", 0);
        start(" zone my_backend 64k;\n server nothing-yet.test:" + two.port() + " resolve;\n");
        assertThat(get("/").statusCode()).isEqualTo(502);
        assertThat(servers()).isEmpty();
        dns.records("nothing-yet.test", 1, "127.0.0.2");
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/").statusCode() == 200);
        assertThat(get("/").headers().firstValue("X-Backend")).hasValue("two");
    }

    @Test
    void aReloadKeepsTheZonesPeersAndCounters() throws Exception {
        dns = TestDnsServer.start();
        closeMe.add(dns);
        TestBackend two = backend("two", "127.0.0.2", 0);
        TestBackend three = backend("three", "127.0.0.3", 0);
        dns.records("backends.test", 3600, "127.0.0.3");
        start(" zone my_backend 64k;\n server " + two.address() + ";\n server backends.test:" + three.port()
                + " resolve;\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> servers().size() == 2);
        for (int i = 0; i < 6; i++) {
            assertThat(get("/").statusCode()).isEqualTo(200);
        }
        JsonNode before = upstream().get("peers");
        // DNS stops answering: the resolved peer must survive the reload from the zone
        dns.mode(TestDnsServer.Mode.SERVFAIL);
        node.reload(ProxyNodes.parse(dir, config(" zone my_backend 64k;\n server " + two.address()
                + " weight=2;\n server backends.test:" + three.port() + " resolve;\n")));
        JsonNode after = upstream().get("peers");
        assertThat(after.size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            assertThat(after.get(i).get("id")).isEqualTo(before.get(i).get("id"));
            assertThat(after.get(i).get("server")).isEqualTo(before.get(i).get("server"));
            assertThat(after.get(i).get("requests")).isEqualTo(before.get(i).get("requests"));
        }
        assertThat(after.get(0).get("weight").asInt()).isEqualTo(2);
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void serviceLooksUpSrvRecordsAndMakesTheLowerPrioritiesBackup() throws Exception {
        dns = TestDnsServer.start();
        closeMe.add(dns);
        TestBackend two = backend("two", "127.0.0.2", 0);
        TestBackend three = backend("three", "127.0.0.3", 0);
        dns.records("two.test", 1, "127.0.0.2").records("three.test", 1, "127.0.0.3");
        dns.srv("_http._tcp.backends.test", 1, new TestDnsServer.Srv(10, 5, two.port(), "two.test"),
                new TestDnsServer.Srv(20, 1, three.port(), "three.test"));
        start(" zone my_backend 64k;\n server backends.test service=http resolve;\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> servers().size() == 2);
        JsonNode peers = upstream().get("peers");
        assertThat(peers.get(0).get("server").asText()).isEqualTo(two.address());
        assertThat(peers.get(0).get("weight").asInt()).isEqualTo(5);
        assertThat(peers.get(0).get("backup").asBoolean()).isFalse();
        assertThat(peers.get(1).get("server").asText()).isEqualTo(three.address());
        assertThat(peers.get(1).get("backup").asBoolean()).isTrue();
        assertThat(get("/").headers().firstValue("X-Backend")).hasValue("two");
        // the primary target leaves: the backup one is all there is
        dns.srv("_http._tcp.backends.test", 1, new TestDnsServer.Srv(20, 1, three.port(), "three.test"));
        await().atMost(Duration.ofSeconds(10)).until(() -> servers().equals(List.of(three.address())));
        assertThat(get("/").headers().firstValue("X-Backend")).hasValue("three");
    }

    @Test
    void theApiChangesServersUnderLoadWithoutAFailedRequest() throws Exception {
        dns = TestDnsServer.start();
        closeMe.add(dns);
        TestBackend two = backend("two", "127.0.0.2", 0);
        TestBackend three = backend("three", "127.0.0.3", 0);
        start(" zone my_backend 64k;\n server " + two.address() + ";\n");
        Load load = new Load();
        try {
            HttpResponse<String> added = send("POST", "/api/9/http/upstreams/my_backend/servers",
                    "{\"server\":\"" + three.address() + "\",\"weight\":2}");
            assertThat(added.statusCode()).isEqualTo(201);
            int threeId = JSON.readTree(added.body()).get("id").asInt();
            await().atMost(Duration.ofSeconds(10)).until(() -> three.requests.get() > 20);
            assertThat(send("PATCH", "/api/9/http/upstreams/my_backend/servers/0", "{\"drain\":true}").statusCode())
                    .isEqualTo(200);
            // requests chosen before the change finish first
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream().get("peers").get(0).get("active").asInt() == 0);
            int twoServed = two.requests.get();
            int threeServed = three.requests.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> three.requests.get() > threeServed + 50);
            assertThat(two.requests.get()).as("a draining server takes no new request").isEqualTo(twoServed);
            assertThat(send("DELETE", "/api/9/http/upstreams/my_backend/servers/0", null).statusCode()).isEqualTo(200);
            assertThat(servers()).containsExactly(three.address());
            assertThat(send("PATCH", "/api/9/http/upstreams/my_backend/servers/" + threeId,
                    "{\"max_conns\":100}").statusCode()).isEqualTo(200);
            int after = three.requests.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> three.requests.get() > after + 20);
            JsonNode peer = upstream().get("peers").get(0);
            assertThat(peer.get("max_conns").asInt()).isEqualTo(100);
            assertThat(peer.get("header_time").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(peer.get("response_time").asLong()).isGreaterThanOrEqualTo(peer.get("header_time").asLong());
        } finally {
            load.close();
        }
        assertThat(load.failures).isEmpty();
    }

    @Test
    void aNamePostedThroughTheApiIsFollowedAndItsServersNameItAsParent() throws Exception {
        dns = TestDnsServer.start();
        closeMe.add(dns);
        TestBackend two = backend("two", "127.0.0.2", 0);
        TestBackend three = backend("three", "127.0.0.3", 0);
        dns.records("late.test", 1, "127.0.0.2");
        start(" zone my_backend 64k;\n");
        assertThat(get("/").statusCode()).isEqualTo(502);
        HttpResponse<String> added = send("POST", "/api/9/http/upstreams/my_backend/servers",
                "{\"server\":\"late.test:" + two.port() + "\",\"max_fails\":0}");
        assertThat(added.statusCode()).isEqualTo(201);
        JsonNode line = JSON.readTree(added.body());
        assertThat(line.get("server").asText()).isEqualTo("late.test:" + two.port());
        String parent = line.get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/").statusCode() == 200);
        assertThat(get("/").headers().firstValue("X-Backend")).hasValue("two");
        JsonNode servers = JSON.readTree(get("/api/9/http/upstreams/my_backend/servers").body());
        assertThat(servers.get(0).get("server").asText()).isEqualTo(two.address());
        assertThat(servers.get(0).get("parent").asText()).isEqualTo(parent);
        assertThat(servers.get(0).get("max_fails").asInt()).isZero();
        assertThat(send("POST", "/api/9/http/upstreams/my_backend/servers",
                "{\"server\":\"late.test:" + two.port() + "\"}").statusCode()).isEqualTo(409);

        // the name moves: its server follows; an SRV service posted beside it adds its targets
        dns.records("late.test", 1, "127.0.0.3");
        dns.records("three.test", 1, "127.0.0.3");
        dns.srv("_tcp3._tcp.srv.test", 1, new TestDnsServer.Srv(10, 7, three.port(), "three.test"));
        await().atMost(Duration.ofSeconds(10)).until(() -> servers().equals(List.of("127.0.0.3:" + two.port())));
        HttpResponse<String> srv = send("POST", "/api/9/http/upstreams/my_backend/servers",
                "{\"server\":\"srv.test\",\"service\":\"tcp3\"}");
        assertThat(srv.statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> servers().contains(three.address()));
        assertThat(upstream().get("peers").get(1).get("weight").asInt()).isEqualTo(7);
        assertThat(get("/").headers().firstValue("X-Backend")).hasValue("three");

        // DELETE of the line: its servers go, and it is looked up no more
        assertThat(send("DELETE", "/api/9/http/upstreams/my_backend/servers/" + parent, null).statusCode())
                .isEqualTo(200);
        assertThat(servers()).containsExactly(three.address());
        int asked = dns.questions().size();
        dns.records("late.test", 1, "127.0.0.2");
        await().atMost(Duration.ofSeconds(10)).until(() -> dns.questions().size() > asked + 2);
        assertThat(dns.questions().subList(asked, dns.questions().size()))
                .noneMatch(q -> q.name().startsWith("late.test"));
        assertThat(servers()).containsExactly(three.address());
    }

    @Test
    void aStateFileKeepsTheApisChangesAcrossARestart() throws Exception {
        dns = TestDnsServer.start();
        closeMe.add(dns);
        TestBackend two = backend("two", "127.0.0.2", 0);
        TestBackend three = backend("three", "127.0.0.3", 0);
        java.nio.file.Files.writeString(dir.resolve("my_backend.state"), "server " + two.address() + ";\n");
        String body = " zone my_backend 64k;\n state my_backend.state;\n";
        start(body);
        assertThat(get("/").headers().firstValue("X-Backend")).hasValue("two");
        assertThat(send("POST", "/api/9/http/upstreams/my_backend/servers",
                "{\"server\":\"" + three.address() + "\",\"weight\":3,\"max_fails\":0}").statusCode()).isEqualTo(201);
        assertThat(send("PATCH", "/api/9/http/upstreams/my_backend/servers/0", "{\"down\":true}").statusCode())
                .isEqualTo(200);
        assertThat(java.nio.file.Files.readString(dir.resolve("my_backend.state"))).isEqualTo(
                "server " + two.address() + " down;\nserver " + three.address() + " weight=3 max_fails=0;\n");
        node.stop();
        start(body);
        JsonNode list = JSON.readTree(get("/api/9/http/upstreams/my_backend/servers").body());
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("down").asBoolean()).isTrue();
        assertThat(list.get(1).get("server").asText()).isEqualTo(three.address());
        assertThat(list.get(1).get("weight").asInt()).isEqualTo(3);
        assertThat(get("/").headers().firstValue("X-Backend")).hasValue("three");
    }

    @Test
    void aQueueHoldsRequestsUntilAServerIsFreeAndTurnsAwayTheRest() throws Exception {
        dns = TestDnsServer.start();
        closeMe.add(dns);
        TestBackend two = backend("two", "127.0.0.2", 0);
        node = ProxyNodes.start(dir, "worker_processes 1;\n" + ProxyNodes.http(
                "upstream my_backend { zone my_backend 64k; server " + two.address() + " max_conns=1;"
                + " queue 1 timeout=3s; }\n"
                + "server { listen 127.0.0.1:0;\n"
                + " location / { proxy_pass http://my_backend; }\n"
                + " location /hold { proxy_read_timeout 1s; proxy_pass http://my_backend/slow; }\n"
                + " location /hold-long { proxy_read_timeout 10s; proxy_pass http://my_backend/slow; }\n"
                + " location /api { api write=on; } }"));
        closeMe.add(node::stop);
        port = ProxyNodes.port(node);
        var holding = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hold"))
                .build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> two.requests.get() == 1);
        var queued = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream().get("queue").get("size").asInt() == 1);
        // the queue is full: turned away at once
        assertThat(get("/").statusCode()).isEqualTo(502);
        assertThat(upstream().get("queue").get("overflows").asInt()).isEqualTo(1);
        assertThat(upstream().get("queue").get("max_size").asInt()).isEqualTo(1);
        // the held request times out (504), which frees the server for the queued one
        assertThat(holding.get().statusCode()).isEqualTo(504);
        HttpResponse<String> served = queued.get();
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("X-Backend")).hasValue("two");

        // a request that waits longer than the queue's timeout gets 502
        var longHold = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hold-long"))
                .build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream().get("peers").get(0).get("active").asInt() == 1);
        long start = System.nanoTime();
        assertThat(get("/").statusCode()).isEqualTo(502);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        assertThat(upstream().get("queue").get("size").asInt()).isZero();
        longHold.cancel(true);
    }

    @Test
    void aRetryThatFindsNoServerFreeWaitsInTheQueue() throws Exception {
        dns = TestDnsServer.start();
        closeMe.add(dns);
        TestBackend two = backend("two", "127.0.0.2", 0);
        HeldPort down = new HeldPort();
        closeMe.add(down);
        node = ProxyNodes.start(dir, "worker_processes 1;\n" + ProxyNodes.http(
                "upstream my_backend { zone my_backend 64k; server 127.0.0.1:" + down.port() + " max_fails=0;"
                + " server " + two.address() + " max_conns=1 max_fails=0; queue 2 timeout=10s; }\n"
                + "server { listen 127.0.0.1:0;\n"
                + " location / { proxy_pass http://my_backend; }\n"
                + " location /hold { proxy_read_timeout 1s; proxy_pass http://my_backend/slow; }\n"
                + " location /api { api write=on; } }"));
        closeMe.add(node::stop);
        port = ProxyNodes.port(node);
        var holding = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hold"))
                .build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> two.requests.get() == 1);
        // whichever server it tries first, the other one is refused or full: it waits for "two"
        var queued = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream().get("queue").get("size").asInt() == 1);
        assertThat(holding.get().statusCode()).isEqualTo(504);
        HttpResponse<String> served = queued.get();
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("X-Backend")).hasValue("two");
    }

    @Test
    void twoUpstreamsShareAZoneEachWithItsServersAcrossAReload() throws Exception {
        dns = TestDnsServer.start();
        closeMe.add(dns);
        TestBackend two = backend("two", "127.0.0.2", 0);
        TestBackend three = backend("three", "127.0.0.3", 0);
        String text = "worker_processes 1;\n" + ProxyNodes.http(
                "upstream my_backend { zone shared 64k; server " + two.address() + "; }\n"
                + "upstream other { zone shared; server " + three.address() + "; }\n"
                + "server { listen 127.0.0.1:0;\n"
                + " location / { proxy_pass http://my_backend; }\n"
                + " location /other { proxy_pass http://other; }\n"
                + " location /api { api write=on; } }");
        node = ProxyNodes.start(dir, text);
        closeMe.add(node::stop);
        port = ProxyNodes.port(node);
        assertThat(get("/").headers().firstValue("X-Backend")).hasValue("two");
        assertThat(get("/other").headers().firstValue("X-Backend")).hasValue("three");
        node.reload(ProxyNodes.parse(dir, text));
        assertThat(get("/other").headers().firstValue("X-Backend")).hasValue("three");
        JsonNode all = JSON.readTree(get("/api/9/http/upstreams").body());
        assertThat(all.get("my_backend").get("peers").get(0).get("requests").asInt()).isEqualTo(1);
        assertThat(all.get("other").get("peers").get(0).get("requests").asInt()).isEqualTo(2);
        assertThat(all.get("other").get("zone").asText()).isEqualTo("shared");
    }
}
