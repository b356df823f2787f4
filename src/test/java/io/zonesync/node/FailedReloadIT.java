package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.Http;
import io.zonesync.testing.InJvmNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload that fails after its configuration compiled (a listener that cannot bind, a state file
 * that cannot be opened) leaves the old configuration in force whole, as nginx does: the API and
 * the metrics page list the zones of the configuration that serves, never the failed one's.
 */
class FailedReloadIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every per-zone list of the API the failed configuration adds a zone to, and that zone's name. */
    private static final List<String[]> LISTS = List.of(
            new String[] {"/9/http/limit_conns", "newconn"},
            new String[] {"/9/stream/limit_conns", "newtcp"},
            new String[] {"/9/http/caches", "newcache"},
            new String[] {"/9/http/limit_reqs", "newreq"},
            new String[] {"/9/http/keyvals", "newkv"},
            new String[] {"/9/resolvers", "newres"},
            new String[] {"/9/http/server_zones", "newserver"},
            new String[] {"/9/http/location_zones", "newlocation"},
            new String[] {"/9/stream/server_zones", "newstream"},
            new String[] {"/9/http/upstreams", "newup"});

    @TempDir
    Path dir;
    private InJvmNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** The configuration that serves: one zone of each kind, named "old...". */
    private String config(String extraHttp, String extraStream, String prefix) {
        return """
                events { }
                stream {
                    limit_conn_zone $remote_addr zone=%1$stcp:1m;
                    %3$s
                    server { listen 127.0.0.1:0; status_zone %1$sstream; limit_conn %1$stcp 1; return ok; }
                }
                http {
                    access_log off;
                    resolver 127.0.0.1 status_zone=%1$sres;
                    limit_conn_zone $remote_addr zone=%1$sconn:1m;
                    limit_req_zone $remote_addr zone=%1$sreq:1m rate=1r/s;
                    keyval_zone zone=%1$skv:32k;
                    proxy_cache_path %4$s keys_zone=%1$scache:1m;
                    upstream %1$sup { zone %1$sup 64k; server 127.0.0.1:9; }
                    %2$s
                    server {
                        listen 127.0.0.1:0;
                        status_zone %1$sserver;
                        location /api { api write=on; }
                        location /metrics { metrics; }
                        location /l { status_zone %1$slocation; limit_conn %1$sconn 1; limit_req zone=%1$sreq;
                            proxy_cache %1$scache; proxy_pass http://%1$sup; }
                    }
                }
                """.formatted(prefix, extraHttp, extraStream, dir.resolve(prefix + "-cache"));
    }

    private JsonNode api(String path) throws Exception {
        var r = node.http().get("/api" + path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Starts on the "old" configuration, then fails to reload into the old one plus "new" zones. */
    private void failedReload(String failingHttp, String failingStream, String expected) throws Exception {
        node = InJvmNode.start(dir.resolve("node"), config("", "", "old"));
        for (String[] list : LISTS) {
            assertThat(api(list[0]).has(list[1].replace("new", "old"))).as(list[0]).isTrue();
        }
        String failed = config(failingHttp, failingStream, "new");
        assertThatThrownBy(() -> node.reload(failed)).hasMessageContaining(expected);
        for (String[] list : LISTS) {
            JsonNode body = api(list[0]);
            assertThat(body.has(list[1])).as(list[0] + " lists the failed configuration's zone: " + body).isFalse();
            assertThat(body.has(list[1].replace("new", "old"))).as(list[0] + " still lists the zone in force: "
                    + body).isTrue();
            var one = node.http().get("/api" + list[0] + "/" + list[1]);
            assertThat(one.statusCode()).as(list[0] + "/" + list[1]).isEqualTo(404);
        }
        String metrics = node.http().get("/metrics").body();
        assertThat(metrics).contains("zone=\"oldconn\"").contains("zone=\"oldtcp\"").contains("zone=\"oldcache\"")
                .doesNotContain("zone=\"newconn\"").doesNotContain("zone=\"newtcp\"")
                .doesNotContain("zone=\"newcache\"").doesNotContain("newres").doesNotContain("newserver")
                .doesNotContain("newlocation").doesNotContain("newstream");
    }

    @Test
    void aListenerThatCannotBindLeavesTheZonesInForceListed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            failedReload("server { listen 127.0.0.1:" + taken.getLocalPort() + "; }", "",
                    "127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void aStreamListenerThatCannotBindLeavesHttpOnTheConfigurationInForce() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            failedReload("", "server { listen 127.0.0.1:" + taken.getLocalPort() + "; return no; }",
                    "127.0.0.1:" + taken.getLocalPort());
        }
        node.http().get("/l");
        assertThat(api("/9/http/location_zones/oldlocation").path("requests").asLong())
                .as("the request ran on the old configuration's location").isEqualTo(1);
    }

    @Test
    void aStateFileThatCannotBeOpenedLeavesTheZonesInForceListed() throws Exception {
        Path state = dir.resolve("damaged.keyval");
        Files.writeString(state, "[1,2]");
        failedReload("keyval_zone zone=damaged:32k state=" + state + ";", "", "damaged.keyval");
    }

    @Test
    void aZoneTheFailedConfigurationDroppedKeepsWritingItsStateFile() throws Exception {
        String serving = """
                events { }
                http {
                    access_log off;
                    keyval_zone zone=one:32k state=%s;
                    %s
                    server { listen 127.0.0.1:0; location /api { api write=on; } }
                }
                """;
        Path state = dir.resolve("one.keyval");
        node = InJvmNode.start(dir.resolve("node"), serving.formatted(state, ""));
        try (ServerSocket taken = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            String failed = serving.replace("keyval_zone zone=one:32k state=%s;", "")
                    .formatted("server { listen 127.0.0.1:" + taken.getLocalPort() + "; }");
            assertThatThrownBy(() -> node.reload(failed)).hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(node.http().post("/api/9/http/keyvals/one", "{\"after\":\"failed\"}").statusCode())
                .isEqualTo(201);
        node.close();
        node = InJvmNode.start(dir.resolve("again"), serving.formatted(state, ""));
        assertThat(api("/9/http/keyvals/one").toString()).as("the write after the failed reload is in the state file")
                .isEqualTo("{\"after\":\"failed\"}");
    }
}
