package io.zonesync.http.headers;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code add_header} and {@code expires} against Debian's nginx: which responses get which headers. */
class HeadersDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        Path root = dir.resolve("html");
        Files.createDirectories(root.resolve("old"));
        Files.writeString(root.resolve("old/file.txt"), "old\n");
        Files.setLastModifiedTime(root.resolve("old/file.txt"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        return Differential.start(dir, """
                access_log off;
                add_header X-Http http;
                server {
                    listen LISTEN;
                    root %s;
                    expires 1h;
                    location /hour { return 200 "hour"; }
                    location /none { expires off; return 200 "none"; }
                    location /past { expires -1; return 200 "past"; }
                    location /epoch { expires epoch; return 200 "epoch"; }
                    location /max { expires max; return 200 "max"; }
                    location /zero { expires 0; return 200 "zero"; }
                    location /days { expires 2d; return 200 "days"; }
                    location /old/ { expires modified +1h; }
                    location /missing { return 404; }
                    location /redirect { return 302 /hour; }
                    location /own { add_header X-Own own; add_header X-Always yes always; return 200 "own"; }
                    location /own-404 { add_header X-Own own; add_header X-Always yes always; return 404; }
                    location /empty { add_header X-Empty ""; return 200 "empty"; }
                    location /var { add_header X-Var "$uri-$arg_a"; return 200 "var"; }
                }
                """.formatted(root));
    }

    static List<String> requests() {
        return List.of("/hour", "/none", "/past", "/epoch", "/max", "/zero", "/days", "/old/file.txt", "/missing",
                "/redirect", "/own", "/own-404", "/empty", "/var?a=1");
    }

    @Test
    void theComparedAnswersCarryTheHeaders() throws Exception {
        assertThat(servers.get("/hour").nginx().headers()).containsEntry("cache-control", "max-age=3600")
                .containsEntry("x-http", "http");
        assertThat(servers.get("/past").zonesync().headers()).containsEntry("cache-control", "no-cache");
        assertThat(servers.get("/own-404").zonesync().headers()).containsEntry("x-always", "yes")
                .doesNotContainKey("x-own");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void setsHeadersAsNginxDoes(String target) throws Exception {
        Differential.Pair p = servers.get(target);
        assertSameAnswers(p, "GET " + target);
    }
}
