package io.zonesync.http.gzip;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** gzip against Debian's nginx: which responses are compressed, their headers, and what they unzip to. */
class GzipDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        Path root = dir.resolve("html");
        Files.createDirectories(root.resolve("static"));
        Files.createDirectories(root.resolve("vary"));
        Files.createDirectories(root.resolve("off"));
        String page = "<p>" + "zone sync ".repeat(2000) + "</p>\n";
        for (String d : List.of("static", "vary", "off", "level")) {
            Files.createDirectories(root.resolve(d));
            Files.writeString(root.resolve(d + "/page.html"), page);
            Files.writeString(root.resolve(d + "/style.css"), "p { color: red; }\n".repeat(50));
            Files.writeString(root.resolve(d + "/data.bin"), "binary ".repeat(50));
            Files.writeString(root.resolve(d + "/tiny.html"), "<p>x</p>");
        }
        return Differential.start(dir, """
                access_log off;
                types { text/html html; text/css css; application/octet-stream bin; }
                default_type application/octet-stream;
                gzip on;
                gzip_min_length 10;
                gzip_types text/css application/json;
                server {
                    listen LISTEN;
                    root %s;
                    location /static/ { }
                    location /vary/ { gzip_vary on; }
                    location /off/ { gzip off; }
                    location /level/ { gzip_comp_level 9; }
                    location = /json { default_type application/json; return 200 "{\\"long\\": \\"enough to be gzipped\\"}"; }
                    location = /missing { return 404; }
                    location /proxied/ { gzip_proxied any; return 200 "<p>through a proxy, long enough</p>"; }
                }
                """.formatted(root));
    }

    private static String get(String target, String... headers) {
        StringBuilder b = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: diff.test\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("Connection: close\r\n\r\n").toString();
    }

    static List<String> requests() {
        return List.of(
                get("/static/page.html", "Accept-Encoding: gzip, deflate"),
                get("/static/page.html"),
                get("/static/style.css", "Accept-Encoding: gzip"),
                get("/static/data.bin", "Accept-Encoding: gzip"),
                get("/static/tiny.html", "Accept-Encoding: gzip"),
                get("/static/page.html", "Accept-Encoding: gzip;q=0"),
                get("/static/page.html", "Accept-Encoding: br, GZIP;q=0.5"),
                get("/static/page.html", "Accept-Encoding: gzip", "Via: 1.1 proxy"),
                get("/vary/page.html", "Accept-Encoding: gzip"),
                get("/vary/page.html"),
                get("/vary/data.bin", "Accept-Encoding: gzip"),
                get("/off/page.html", "Accept-Encoding: gzip"),
                get("/json", "Accept-Encoding: gzip"),
                get("/missing", "Accept-Encoding: gzip"),
                get("/proxied/x", "Accept-Encoding: gzip", "Via: 1.1 proxy"),
                "GET /static/page.html HTTP/1.0\r\nHost: diff.test\r\nAccept-Encoding: gzip\r\n\r\n");
    }

    @Test
    void theComparisonIsOfCompressedBodies() throws Exception {
        Differential.Pair p = servers.both(get("/static/page.html", "Accept-Encoding: gzip"));
        assertThat(p.nginx().headers()).containsEntry("content-encoding", "gzip");
        assertThat(p.zonesync().body()).startsWith("gunzip:<p>zone sync zone sync");
        Differential.Pair levels = servers.both(get("/level/page.html", "Accept-Encoding: gzip"));
        assertThat(levels.zonesync()).isEqualTo(levels.nginx());
    }

    @ParameterizedTest
    @MethodSource("requests")
    void compressesAsNginxDoes(String request) throws Exception {
        Differential.Pair p = servers.both(request);
        assertSameAnswers(p, request);
    }
}
