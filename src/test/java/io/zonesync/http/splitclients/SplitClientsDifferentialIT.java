package io.zonesync.http.splitclients;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** split_clients against Debian's nginx: every client lands in the same group on either server. */
class SplitClientsDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        return Differential.start(dir, """
                access_log off;
                split_clients "${arg_id}salt" $variant { 0.5% tiny; 33.3% a; 33.33% b; * c; }
                split_clients "$arg_id" $half { 50% first; 50% second; }
                split_clients "$arg_id" $some { 25% "in $arg_id"; }
                server {
                    listen LISTEN;
                    location / { return 200 "[$variant] [$half] [$some]"; }
                }
                """);
    }

    static Stream<String> ids() {
        return Stream.concat(IntStream.range(0, 40).mapToObj(i -> "user" + i),
                Stream.of("", "a", "ab", "abc", "abcd", "abcde", "\u00e9t\u00e9"));
    }

    @ParameterizedTest
    @MethodSource("ids")
    void assignsGroupsAsNginxDoes(String id) throws Exception {
        String target = "/?id=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        assertSameAnswers(servers.get(target), target);
    }
}
