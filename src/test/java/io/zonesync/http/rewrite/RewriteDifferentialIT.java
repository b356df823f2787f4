package io.zonesync.http.rewrite;


import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rewrite module against Debian's nginx on one configuration: the same requests, the same answers. */
class RewriteDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("html/static"));
        Files.writeString(dir.resolve("html/static/here.txt"), "here\n");
        return Differential.start(dir, """
                access_log off;
                server {
                    listen LISTEN;
                    root %s;
                    set $who server;
                    rewrite ^/legacy/(.*)$ /current/$1;
                    location /current/ { return 200 "$who $uri $args"; }
                    location /set { set $a "x$arg_v"; if ($a = xy) { return 200 "yes $a"; } return 200 "no $a"; }
                    location /empty { if ($http_x_api_key = "") { return 401 "no key"; } return 200 "key"; }
                    location /re { if ($arg_p ~* ^(ab)(c)?$) { return 200 "m $1 [$2]"; } return 200 nomatch; }
                    location /neg { if ($arg_p !~ ^a) { return 200 "not a"; } return 200 a; }
                    location /truth { if ($arg_t) { return 200 true; } return 200 false; }
                    location /static/ { if (!-f $request_filename) { return 404 "missing $uri"; } }
                    location /old/ { rewrite ^/old/(.*)$ /new/$1 last; return 200 "not reached"; }
                    location /new/ { return 200 "new $uri $args"; }
                    location /brk/ { rewrite ^/brk/(.*)$ /other/$1 break; return 200 "not reached"; }
                    location /noflag { rewrite ^/noflag(.*)$ /new$1; set $z 1; }
                    location /ret { rewrite ^/ret(.*)$ /new$1; return 200 "return is a step too"; }
                    location /args { rewrite ^ /new/a?x=1; }
                    location /drop { rewrite ^ /new/d?; }
                    location /r { rewrite ^/r(.*)$ /dest$1 redirect; }
                    location /p { rewrite ^ https://example.test/p? permanent; }
                    location /abs { rewrite ^ http://example.test/abs; }
                    location /loop { rewrite ^ /loop last; }
                    location /unset { return 200 "[$never]"; }
                    location /later { if ($arg_x) { set $never "set"; } return 200 "[$never]"; }
                    location /codes { return 403; }
                    location /text { return 418 "teapot"; }
                    location /moved { return 301 /current/x; }
                    location /secret/ { internal; return 200 "secret $uri"; }
                    location /to-secret { rewrite ^ /secret/x last; }
                    location /err-secret { error_page 404 /secret/page; return 404; }
                    location /setargs { set $args "x=1&y=$arg_a"; return 200 "$args $arg_x $arg_a [$is_args] $query_string $request_uri"; }
                    location /nocontent { return 204; }
                    location /nocontenttext { return 204 "ignored"; }
                    location /isargs { return 200 "[$is_args] [$args]"; }
                    location /noargs { set $args ""; return 200 "[$args] [$is_args]"; }
                    location /argsthenrw { set $args "s=1"; rewrite ^ /new/t?r=2; }
                    location /rwthenargs { rewrite ^ /new/t?r=2; set $args "s=1"; }
                }
                """.formatted(dir.resolve("html")));
    }

    static List<String> requests() {
        return List.of("/legacy/page?q=1", "/set?v=y", "/set?v=z", "/empty", "/re?p=ABC", "/re?p=ab", "/re?p=x",
                "/neg?p=b", "/neg?p=a", "/truth?t=1", "/truth?t=0", "/truth", "/static/here.txt", "/static/gone",
                "/old/a/b?k=v", "/brk/f", "/noflag/z", "/ret/z", "/args?y=2", "/drop?y=2", "/r/x?q=1", "/p?q=1",
                "/abs?q=1", "/loop", "/unset", "/later?x=1", "/later", "/codes", "/text", "/moved", "/secret/a",
                "/to-secret", "/err-secret", "/setargs?a=5&b=6", "/setargs", "/noargs?q=1", "/argsthenrw?o=1",
                "/rwthenargs?o=1", "/isargs?", "/isargs?a", "/isargs", "/nocontent", "/nocontenttext");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void answersAsNginxDoes(String target) throws Exception {
        Differential.Pair p = servers.get(target);
        assertSameAnswers(p, "GET " + target);
    }
}
