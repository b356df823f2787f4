package io.zonesync.http.tryfiles;


import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code try_files} against Debian's nginx, starting from the site Debian installs
 * ({@code try_files $uri $uri/ =404;} with {@code index}), then a single-page application's
 * fallback, a named location and a fallback with arguments.
 */
class TryFilesDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        Path html = dir.resolve("html");
        Files.createDirectories(html.resolve("dir"));
        Files.createDirectories(html.resolve("app"));
        Files.writeString(html.resolve("index.html"), "<p>home</p>\n");
        Files.writeString(html.resolve("a.txt"), "a\n");
        Files.writeString(html.resolve("dir/index.html"), "<p>dir</p>\n");
        Files.writeString(html.resolve("app/index.html"), "<p>app</p>\n");
        Files.writeString(html.resolve("app/x.css"), "p {}\n");
        return Differential.start(dir, """
                access_log off;
                types { text/html html; text/css css; text/plain txt; }
                default_type application/octet-stream;
                server {
                    listen LISTEN;
                    root %s;
                    index index.html index.htm;
                    location / { try_files $uri $uri/ =404; }
                    location /app/ { try_files $uri /app/index.html; }
                    location /named/ { try_files $uri @fallback; }
                    location @fallback { return 200 "fallback $uri $args"; }
                    location /args/ { try_files $uri /echo?from=try_files; }
                    location = /echo { return 200 "echo $uri $args"; }
                    location /code/ { try_files $uri =418; }
                }
                """.formatted(html));
    }

    static List<String> requests() {
        return List.of("/", "/a.txt", "/missing", "/dir/", "/dir", "/app/deep/link", "/app/x.css", "/app/",
                "/named/zzz?q=1", "/args/q?x=1", "/code/none", "/a.txt?v=2");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void answersAsNginxDoes(String target) throws Exception {
        Differential.Pair p = servers.get(target);
        assertSameAnswers(p, "GET " + target);
    }
}
