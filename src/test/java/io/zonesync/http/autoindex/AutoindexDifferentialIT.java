package io.zonesync.http.autoindex;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** autoindex against Debian's nginx: HTML, XML, JSON and JSONP listings of a tree with fixed sizes and mtimes. */
class AutoindexDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        Path root = dir.resolve("html");
        Path d = root.resolve("d");
        Files.createDirectories(d.resolve("sub"));
        Files.createDirectories(d.resolve("k".repeat(50)));
        Files.createDirectories(root.resolve("withindex"));
        Files.writeString(root.resolve("withindex/index.html"), "index\n");
        Files.write(d.resolve("a.txt"), new byte[1234]);
        Files.write(d.resolve("big.bin"), new byte[2_500_000]);
        Files.write(d.resolve("mid.bin"), new byte[15_000]);
        Files.write(d.resolve("x&<y>\"z.txt"), new byte[5]);
        Files.write(d.resolve(".hidden"), new byte[3]);
        Files.write(d.resolve("n".repeat(55) + ".txt"), new byte[0]);
        Files.write(d.resolve("m".repeat(49)), new byte[0]);
        Files.write(d.resolve("sp ace%+=.txt"), new byte[0]);
        Files.write(d.resolve("\u00e9 \u00fc.txt"), new byte[7]);
        try (var s = Files.list(d)) {
            for (Path p : s.toList()) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(1_577_934_245_000L));
            }
        }
        return Differential.start(dir, """
                access_log off;
                server {
                    listen LISTEN;
                    root %1$s;
                    autoindex on;
                    autoindex_localtime off;
                    location /e/ { alias %1$s/d/; autoindex_exact_size off; }
                    location /x/ { alias %1$s/d/; autoindex_format xml; }
                    location /j/ { alias %1$s/d/; autoindex_format json; }
                    location /p/ { alias %1$s/d/; autoindex_format jsonp; }
                    location /off/ { alias %1$s/d/; autoindex off; }
                }
                """.formatted(root));
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n";
    }

    static List<String> requests() {
        return List.of(get("/d/"), get("/e/"), get("/x/"), get("/j/"), get("/p/?callback=cb.x_1"), get("/p/"),
                get("/p/?callback=a$b"), get("/off/"), get("/d/sub/"), get("/d/sub"), get("/withindex/"),
                get("/missing/"), "HEAD /d/ HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void listsAsNginxDoes(String request) throws Exception {
        assertSameAnswers(servers.both(request), request);
    }
}
