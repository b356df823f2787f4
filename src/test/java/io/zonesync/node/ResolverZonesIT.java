package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.testing.TestDnsServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code resolver ... status_zone=} against a real name server on loopback: a node looks up names
 * that exist, that do not (NXDOMAIN) and that the server never answers (timed out) for
 * {@code proxy_pass} with variables in http and stream, for an upstream's {@code resolve} server and
 * for {@code zone_sync_server ... resolve}; {@code /api/9/resolvers/} and the metrics page show the
 * counts, DELETE zeroes them, a reload keeps a zone that stays and drops one that goes.
 */
class ResolverZonesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestDnsServer dns;
    private Node node;
    private int port;

    @BeforeEach
    void dns() {
        dns = TestDnsServer.start();
        dns.records("ok.test", 300, "127.0.0.1").records("stream.test", 300, "127.0.0.1")
                .records("up.test", 300, "127.0.0.1").records("peer.test", 300, "127.0.0.9").drop("lost.test");
    }

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.stop();
        }
        dns.close();
    }

    /** A resolver line for the test server (A records only, so each lookup is one query). */
    private String resolver(String zone) {
        return "resolver 127.0.0.1:" + dns.address().getPort() + " ipv6=off status_zone=" + zone + ";";
    }

    private String config(boolean withUpstream) {
        return "error_log stderr emerg;\n"
                + "http {\n"
                + "    access_log off;\n"
                + "    " + resolver("dns") + "\n"
                + "    resolver_timeout 2s;\n"
                + (withUpstream ? "    upstream u { zone u 64k; " + resolver("upstreams") + " server up.test:1 resolve; }\n"
                        : "")
                + "    server {\n"
                + "        listen 127.0.0.1:0;\n"
                + "        location /p/ { proxy_pass http://$arg_h:1; }\n"
                + "        location /api { api write=on; }\n"
                + "        location = /metrics { metrics; }\n"
                + "    }\n"
                + "}\n"
                + "stream {\n"
                + "    " + resolver("dns") + "\n"
                + "    server { listen 127.0.0.1:0; set $t stream.test:1; proxy_pass $t; }\n"
                + "    server {\n"
                + "        listen 127.0.0.1:0;\n"
                + "        zone_sync;\n"
                + "        zone_sync_server peer.test:1 resolve;\n"
                + "        " + resolver("sync") + "\n"
                + "    }\n"
                + "}\n";
    }

    private ParsedConfig parse(String text) throws Exception {
        Path file = Files.createTempFile(dir, "zonesync", ".conf");
        Files.writeString(file, text);
        return ConfigParser.parseFile(file, dir, null);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode zone(String name) throws Exception {
        HttpResponse<String> r = send("GET", "/api/9/resolvers/" + name);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String figures(JsonNode zone) {
        return zone.toString();
    }

    private static String expected(long name, long noerror, long nxdomain, long timedout) {
        return "{\"requests\":{\"name\":" + name + ",\"srv\":0,\"addr\":0},\"responses\":{\"noerror\":" + noerror
                + ",\"formerr\":0,\"servfail\":0,\"nxdomain\":" + nxdomain + ",\"notimp\":0,\"refused\":0,"
                + "\"timedout\":" + timedout + ",\"unknown\":0}}";
    }

    @Test
    void everyQueryOfTheNodeIsCountedInItsResolversZone() throws Exception {
        node = Node.start(parse(config(true)));
        port = ((InetSocketAddress) node.httpAddresses().values().iterator().next()).getPort();

        // the upstream's resolve line and zone_sync's membership are looked up from the start, each in its zone
        await().atMost(Duration.ofSeconds(20)).until(() -> zone("upstreams").path("responses").path("noerror")
                .asLong() >= 1 && zone("sync").path("responses").path("noerror").asLong() >= 1);
        assertThat(zone("upstreams").path("requests").path("name").asLong()).isGreaterThanOrEqualTo(1);

        assertThat(send("GET", "/p/?h=ok.test").statusCode()).isEqualTo(502); // found; nothing listens on port 1
        assertThat(send("GET", "/p/?h=missing.test").statusCode()).isEqualTo(502);
        assertThat(send("GET", "/p/?h=lost.test").statusCode()).isEqualTo(502);
        assertThat(figures(zone("dns"))).isEqualTo(expected(3, 1, 1, 1));

        // stream's proxy_pass with variables counts in the same zone: zones are shared by name
        int streamPort = node.streamAddresses().values().stream().map(a -> ((InetSocketAddress) a).getPort())
                .findFirst().orElseThrow();
        try (Socket s = new Socket("127.0.0.1", streamPort); OutputStream out = s.getOutputStream()) {
            out.write('x');
            await().atMost(Duration.ofSeconds(10)).until(() -> figures(zone("dns")).equals(expected(4, 2, 1, 1)));
        }

        String metrics = send("GET", "/metrics").body();
        assertThat(metrics).contains("# TYPE nginxplus_resolver_name untyped\n")
                .contains("\nnginxplus_resolver_name{resolver=\"dns\"} 4.0\n")
                .contains("\nnginxplus_resolver_noerror{resolver=\"dns\"} 2.0\n")
                .contains("\nnginxplus_resolver_nxdomain{resolver=\"dns\"} 1.0\n")
                .contains("\nnginxplus_resolver_timedout{resolver=\"dns\"} 1.0\n")
                .contains("\nnginxplus_resolver_srv{resolver=\"dns\"} 0.0\n")
                .contains("nginxplus_resolver_noerror{resolver=\"upstreams\"}");

        JsonNode all = JSON.readTree(send("GET", "/api/9/resolvers/").body());
        assertThat(all.fieldNames()).toIterable().containsExactly("dns", "sync", "upstreams");

        assertThat(send("DELETE", "/api/9/resolvers/dns").statusCode()).isEqualTo(204);
        assertThat(figures(zone("dns"))).isEqualTo(expected(0, 0, 0, 0));
        assertThat(send("GET", "/p/?h=missing.test").statusCode()).isEqualTo(502); // NXDOMAIN is not kept
        assertThat(figures(zone("dns"))).isEqualTo(expected(1, 0, 1, 0));

        HttpResponse<String> unknown = send("GET", "/api/9/resolvers/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(unknown.body());
        assertThat(error.path("error").path("code").asText()).isEqualTo("ResolverZoneNotFound");
        assertThat(error.path("error").path("status").asInt()).isEqualTo(404);
        assertThat(error.path("href").asText()).isEqualTo("https://nginx.org/en/docs/http/ngx_http_api_module.html");

        // a reload without the upstream: its zone goes, "dns" keeps its counts
        node.reload(parse(config(false)));
        all = JSON.readTree(send("GET", "/api/9/resolvers/").body());
        assertThat(all.fieldNames()).toIterable().containsExactly("dns", "sync");
        assertThat(figures(zone("dns"))).isEqualTo(expected(1, 0, 1, 0));
        assertThat(send("GET", "/api/9/resolvers/upstreams").statusCode()).isEqualTo(404);
    }

    @Test
    void aStatusZoneWithoutANameStopsTheStartAtItsLine() throws Exception {
        ParsedConfig bad = parse("http {\n    resolver 127.0.0.1 status_zone=;\n    server { listen 127.0.0.1:0; }\n}\n");
        assertThatThrownBy(() -> node = Node.start(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid parameter \"status_zone=\"")
                .hasMessageContaining(bad.file().getFileName() + ":2");
    }
}
