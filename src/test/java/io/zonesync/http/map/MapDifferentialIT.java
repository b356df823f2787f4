package io.zonesync.http.map;


import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code map} against Debian's nginx on one configuration: the same requests, the same answers. */
class MapDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        return Differential.start(dir, """
                access_log off;
                map $arg_k $exact { default "none"; alpha "a"; Beta "b"; \\default "literal default"; }
                map $arg_p $regex { ~^/api/v(?<ver>[0-9]+)/ "api $1"; ~*\\.JPG$ "image"; default "other"; }
                map $arg_h $host_kind { hostnames; default "unknown"; example.com "exact";
                                        *.example.com "sub"; .example.org "org"; www.example.* "www"; }
                map $arg_n $nodefault { one 1; }
                map "$arg_a:$arg_b" $joined { "x:y" "joined $arg_a"; default "$arg_b-$arg_a"; }
                map $http_upgrade $connection_upgrade { default upgrade; "" close; }
                map $exact $chained { a "from a"; default "from $exact"; }
                server {
                    listen LISTEN;
                    location / {
                        return 200 "[$exact] [$regex] [$host_kind] [$nodefault] [$joined] [$connection_upgrade] [$chained]";
                    }
                }
                """);
    }

    static List<String> requests() {
        return List.of("/", "/?k=alpha", "/?k=ALPHA", "/?k=beta", "/?k=default", "/?k=gamma",
                "/?p=/api/v2/users", "/?p=/pics/Cat.jpg", "/?p=/pics/cat.png",
                "/?h=example.com", "/?h=a.example.com", "/?h=b.a.example.com", "/?h=example.org", "/?h=x.example.org",
                "/?h=www.example.net", "/?h=EXAMPLE.COM", "/?h=example.com.", "/?h=elsewhere",
                "/?n=one", "/?n=two", "/?a=x&b=y", "/?a=1&b=2");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void answersAsNginxDoes(String target) throws Exception {
        Differential.Pair p = servers.get(target);
        assertSameAnswers(p, "GET " + target);
    }
}
