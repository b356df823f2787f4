package io.zonesync.http.subfilter;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** sub_filter against Debian's nginx: replacements, once/all, types, headers, variables and gzip after it. */
class SubFilterDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        Path root = dir.resolve("html");
        Files.createDirectories(root);
        String page = "<p>Hello World, hello world!</p>\n" + "filler zone sync HELLO ".repeat(4000) + "\nend hello\n";
        Files.writeString(root.resolve("page.html"), page);
        Files.writeString(root.resolve("style.css"), "p { color: red; } /* hello */ hello\n");
        Files.writeString(root.resolve("data.txt"), "hello hello\n");
        Files.writeString(root.resolve("once.html"), "xab b a bb hello HELLO hello\n");
        return Differential.start(dir, """
                access_log off;
                types { text/html html; text/css css; text/plain txt; }
                server {
                    listen LISTEN;
                    root %s;
                    location / { sub_filter hello bye; }
                    location /all/ { alias %1$s/; sub_filter hello bye; sub_filter_once off; }
                    location /many/ { alias %1$s/; sub_filter hello bye; sub_filter world earth; sub_filter_once off;
                                      sub_filter_types text/css; }
                    location /lm/ { alias %1$s/; sub_filter hello bye; sub_filter_last_modified on; }
                    location /var/ { alias %1$s/; sub_filter $arg_from "[$arg_to]"; sub_filter_once off; }
                    location /gz/ { alias %1$s/; sub_filter hello bye; sub_filter_once off; gzip on; }
                    location /once/ { alias %1$s/; sub_filter a 1; sub_filter bb 2; sub_filter hello X; sub_filter hel Y; }
                    location = /ret { default_type text/html; sub_filter hello bye; return 200 "hello HELLO"; }
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
        return List.of(get("/page.html"), get("/all/page.html"), get("/many/page.html"), get("/many/style.css"),
                get("/all/style.css"), get("/many/data.txt"), get("/lm/page.html"),
                get("/var/page.html?from=WORLD&to=x"), get("/var/page.html"), get("/gz/page.html", "Accept-Encoding: gzip"),
                get("/ret"), get("/once/once.html"), "HEAD /all/page.html HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void replacesAsNginxDoes(String request) throws Exception {
        assertSameAnswers(servers.both(request), request);
    }
}
