package io.zonesync.http.core;


import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code root} and {@code alias} against Debian's nginx: which file a URI serves. */
class AliasDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        Path images = dir.resolve("images");
        Files.createDirectories(images.resolve("sub"));
        Files.writeString(images.resolve("a.txt"), "a\n");
        Files.writeString(images.resolve("sub/b.txt"), "b\n");
        Files.createDirectories(dir.resolve("html"));
        Files.writeString(dir.resolve("html/root.txt"), "root\n");
        return Differential.start(dir, """
                access_log off;
                types { text/plain txt; }
                server {
                    listen LISTEN;
                    root %1$s/html;
                    location /i/ { alias %1$s/images/; }
                    location /j { alias %1$s/images; }
                    location ~ ^/users/(.+\\.txt)$ { alias %1$s/images/$1; }
                    location = /exact.txt { alias %1$s/images/a.txt; }
                    location /dirs/ { alias %1$s/images/; index a.txt; }
                    location /files/ { alias %1$s/images/; try_files $uri =404; }
                    location /where/ { alias %1$s/images/; return 200 "$document_root|$request_filename"; }
                }
                """.formatted(dir));
    }

    static List<String> requests() {
        return List.of("/root.txt", "/i/a.txt", "/i/missing", "/i/sub/b.txt", "/i/sub", "/j/a.txt", "/jsub/b.txt",
                "/users/a.txt", "/users/sub/b.txt", "/exact.txt", "/dirs/", "/files/a.txt", "/files/none",
                "/where/sub/b.txt");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void servesAsNginxDoes(String target) throws Exception {
        Differential.Pair p = servers.get(target);
        assertSameAnswers(p, "GET " + target);
    }
}
