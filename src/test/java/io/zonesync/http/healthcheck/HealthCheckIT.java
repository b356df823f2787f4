package io.zonesync.http.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.node.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health checks against real backends that die, hang (accept and never answer) or answer the
 * wrong content: no client request reaches a server while it is unhealthy, and it comes back once
 * it answers well again; {@code mandatory} keeps a server the API adds out until it passed.
 */
class HealthCheckIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<AutoCloseable> closeMe = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private int port;
    private Node node;

    enum Mode { OK, WRONG, HANG }

    /** A backend whose health answer and liveness the test sets; it counts the client requests it serves. */
    private final class Backend implements AutoCloseable {
        final String name;
        final int port;
        final AtomicInteger clientRequests = new AtomicInteger();
        final AtomicInteger checks = new AtomicInteger();
        final ExecutorService pool = Executors.newCachedThreadPool();
        volatile Mode mode = Mode.OK;
        /** What {@code /ready}, a second check's uri, answers. */
        volatile Mode ready = Mode.OK;
        volatile String host;
        private HttpServer server;

        Backend(String name) throws IOException {
            this.name = name;
            this.port = listen(0);
            closeMe.add(this);
        }

        private int listen(int at) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", at), 50);
            server.setExecutor(pool);
            server.createContext("/", this::handle);
            server.start();
            return server.getAddress().getPort();
        }

        String address() {
            return "127.0.0.1:" + port;
        }

        synchronized void set(Mode m) {
            mode = m;
            notifyAll();
        }

        void die() {
            server.stop(0);
        }

        void revive() throws IOException {
            listen(port);
        }

        private void handle(HttpExchange ex) throws IOException {
            if (ex.getRequestURI().getPath().equals("/ready")) {
                byte[] body = (ready == Mode.OK ? "ready" : "busy").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
                return;
            }
            boolean check = ex.getRequestURI().getPath().equals("/health");
            if (check) {
                checks.incrementAndGet();
                host = ex.getRequestHeaders().getFirst("Host");
            } else {
                clientRequests.incrementAndGet();
            }
            synchronized (this) {
                while (mode == Mode.HANG) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            byte[] body = (check ? (mode == Mode.OK ? "alive" : "maintenance") : name).getBytes(StandardCharsets.UTF_8);
            if (check) {
                ex.getResponseHeaders().add("X-State", mode == Mode.OK ? "ready" : "maintenance");
            }
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        }

        @Override
        public void close() {
            set(Mode.OK);
            server.stop(0);
            pool.shutdownNow();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeMe.size() - 1; i >= 0; i--) {
            closeMe.get(i).close();
        }
    }

    private void start(String servers, String check) throws Exception {
        start(write(servers, check));
    }

    private void start(Path conf) throws Exception {
        node = Node.start(ConfigParser.parseFile(conf, dir, null));
        closeMe.add(node::stop);
        port = ((InetSocketAddress) node.httpAddresses().values().iterator().next()).getPort();
    }

    private Path write(String servers, String check) throws IOException {
        return write(servers, check, "");
    }

    /** With {@code more} in the server block. */
    private Path write(String servers, String check, String more) throws IOException {
        String conf = "worker_processes 1;\nerror_log stderr error;\nhttp {\n access_log off;\n"
                + "match alive { status 200; body ~ \"^alive$\"; }\n"
                + "match ready { status 200; body ~ \"^ready$\"; }\n"
                + "map $upstream_http_x_state $state_ok { ready 1; default 0; }\n"
                + "match by_state { require $state_ok $upstream_status; }\n"
                + "upstream b { zone b 64k;\n" + servers + "}\n"
                + "server { listen 127.0.0.1:0;\n"
                + " location / { proxy_pass http://b; proxy_connect_timeout 1s; proxy_read_timeout 1s;\n"
                + (check == null ? "" : "  health_check " + check + ";") + " }\n" + more
                + " location /api { api write=on; } }\n}\n";
        Files.createDirectories(dir.resolve("logs"));
        Path file = Files.createTempFile(dir, "zonesync", ".conf");
        Files.writeString(file, conf);
        return file;
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode peer(Backend b) throws Exception {
        for (JsonNode p : JSON.readTree(send("GET", "/api/9/http/upstreams/b", null).body()).get("peers")) {
            if (p.get("server").asText().equals(b.address())) {
                return p;
            }
        }
        throw new AssertionError(b.address() + " is not in the group");
    }

    private String state(Backend b) {
        try {
            return peer(b).get("state").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** 20 client requests, all answered 200; who answered. */
    private List<String> twenty() throws Exception {
        List<String> who = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = send("GET", "/page", null);
            assertThat(r.statusCode()).isEqualTo(200);
            who.add(r.body());
        }
        return who;
    }

    private void outAndBack(Backend good, Backend bad, Runnable breakIt, Runnable repair) throws Exception {
        outAndBack(good, bad, breakIt, repair, true);
    }

    /** @param oneCheck whether the last check is the one that failed (with several, another may have passed since) */
    private void outAndBack(Backend good, Backend bad, Runnable breakIt, Runnable repair, boolean oneCheck)
            throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> bad.checks.get() > 0 && good.checks.get() > 0);
        assertThat(twenty()).contains("good", "bad");
        int unhealthyBefore = peer(bad).get("health_checks").get("unhealthy").asInt();
        long broken = System.nanoTime();
        breakIt.run();
        await().atMost(Duration.ofSeconds(10)).until(() -> state(bad).equals("unhealthy"));
        long outMs = (System.nanoTime() - broken) / 1_000_000;
        System.out.println("health check: " + bad.name + " out of rotation " + outMs + " ms after it broke");
        int before = bad.clientRequests.get();
        assertThat(twenty()).containsOnly("good");
        assertThat(bad.clientRequests.get()).as("no client request reached the unhealthy server").isEqualTo(before);
        JsonNode health = peer(bad).get("health_checks");
        assertThat(health.get("unhealthy").asInt()).isEqualTo(unhealthyBefore + 1);
        if (oneCheck) {
            assertThat(health.get("last_passed").asBoolean()).isFalse();
        }
        assertThat(health.get("fails").asInt()).isPositive();
        repair.run();
        await().atMost(Duration.ofSeconds(10)).until(() -> state(bad).equals("up"));
        await().atMost(Duration.ofSeconds(10)).until(() -> twenty().contains("bad"));
        assertThat(peer(bad).get("health_checks").get("last_passed").asBoolean()).isTrue();
    }

    private static Runnable io(IoAction a) {
        return () -> {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private interface IoAction {
        void run() throws IOException;
    }

    @Test
    void aServerAnsweringTheWrongContentIsOutUntilItAnswersWell() throws Exception {
        Backend good = new Backend("good");
        Backend bad = new Backend("bad");
        start("server " + good.address() + " max_fails=0;\nserver " + bad.address() + " max_fails=0;\n",
                "interval=200ms uri=/health match=alive");
        outAndBack(good, bad, () -> bad.set(Mode.WRONG), () -> bad.set(Mode.OK));
        assertThat(bad.host).as("the check's Host is the upstream's name").isEqualTo("b");
    }

    @Test
    void requireJudgesTheResponseThroughVariables() throws Exception {
        Backend good = new Backend("good");
        Backend bad = new Backend("bad");
        start("server " + good.address() + " max_fails=0;\nserver " + bad.address() + " max_fails=0;\n",
                "interval=200ms uri=/health match=by_state");
        outAndBack(good, bad, () -> bad.set(Mode.WRONG), () -> bad.set(Mode.OK));
    }

    @Test
    void aServerThatHangsIsOutAfterTheReadTimeout() throws Exception {
        Backend good = new Backend("good");
        Backend bad = new Backend("bad");
        start("server " + good.address() + " max_fails=0;\nserver " + bad.address() + " max_fails=0;\n",
                "interval=200ms uri=/health match=alive fails=2");
        outAndBack(good, bad, () -> bad.set(Mode.HANG), () -> bad.set(Mode.OK));
    }

    @Test
    void aServerThatDiesIsOutAndComesBackWhenItListensAgain() throws Exception {
        Backend good = new Backend("good");
        Backend bad = new Backend("bad");
        start("server " + good.address() + " max_fails=0;\nserver " + bad.address() + " max_fails=0;\n",
                "interval=200ms uri=/health passes=2");
        outAndBack(good, bad, bad::die, io(bad::revive));
    }

    @Test
    void mandatoryKeepsAServerTheApiAddsOutUntilItsFirstCheckPasses() throws Exception {
        Backend good = new Backend("good");
        Backend added = new Backend("added");
        added.set(Mode.WRONG);
        start("server " + good.address() + ";\n", "interval=200ms uri=/health match=alive mandatory");
        await().atMost(Duration.ofSeconds(10)).until(() -> state(good).equals("up"));
        assertThat(send("POST", "/api/9/http/upstreams/b/servers", "{\"server\":\"" + added.address() + "\"}")
                .statusCode()).isEqualTo(201);
        String first = state(added);
        assertThat(first).isIn("checking", "unhealthy");
        assertThat(twenty()).containsOnly("good");
        await().atMost(Duration.ofSeconds(10)).until(() -> state(added).equals("unhealthy"));
        assertThat(twenty()).containsOnly("good");
        assertThat(added.clientRequests.get()).isZero();
        added.set(Mode.OK);
        await().atMost(Duration.ofSeconds(10)).until(() -> twenty().contains("added"));
    }

    @Test
    void persistentKeepsHealthyServersUpAcrossAReloadAndNoCheckLetsEveryServerIn() throws Exception {
        Backend good = new Backend("good");
        Backend bad = new Backend("bad");
        String servers = "server " + good.address() + " max_fails=0;\nserver " + bad.address() + " max_fails=0;\n";
        String check = "interval=200ms uri=/health match=alive mandatory persistent";
        bad.set(Mode.WRONG);
        start(servers, check);
        await().atMost(Duration.ofSeconds(10)).until(() -> state(bad).equals("unhealthy") && state(good).equals("up"));
        node.reload(ConfigParser.parseFile(write(servers, check), dir, null));
        assertThat(state(good)).as("healthy before the reload: up at once").isEqualTo("up");
        assertThat(state(bad)).isIn("checking", "unhealthy");
        assertThat(twenty()).containsOnly("good");
        assertThat(bad.clientRequests.get()).isZero();
        node.reload(ConfigParser.parseFile(write(servers, null), dir, null));
        assertThat(state(bad)).as("no health check any more").isEqualTo("up");
        assertThat(twenty()).contains("good", "bad");
    }

    @Test
    void withChecksInTwoLocationsAServerFailingEitherIsOut() throws Exception {
        Backend good = new Backend("good");
        Backend bad = new Backend("bad");
        start(write("server " + good.address() + " max_fails=0;\nserver " + bad.address() + " max_fails=0;\n",
                "interval=200ms uri=/health match=alive",
                " location /other { proxy_pass http://b; health_check interval=200ms uri=/ready match=ready fails=2;"
                        + " health_check interval=1h; }\n"));
        outAndBack(good, bad, () -> bad.ready = Mode.WRONG, () -> bad.ready = Mode.OK, false);
        outAndBack(good, bad, () -> bad.set(Mode.WRONG), () -> bad.set(Mode.OK), false);
        assertThat(peer(bad).get("health_checks").get("unhealthy").asInt()).as("once for each time it failed")
                .isEqualTo(2);
    }

    @Test
    void aHealthCheckNeedsAZone() throws Exception {
        Path file = dir.resolve("nozone.conf");
        Files.writeString(file, "http {\nupstream b { server 127.0.0.1:1; }\n"
                + "server { listen 127.0.0.1:0; location / { proxy_pass http://b;\nhealth_check; } } }\n");
        try {
            Node.start(ConfigParser.parseFile(file, dir, null)).stop();
            throw new AssertionError("started");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("health check requires upstream \"b\" to be in shared memory")
                    .contains("nozone.conf:4");
        }
    }
}
