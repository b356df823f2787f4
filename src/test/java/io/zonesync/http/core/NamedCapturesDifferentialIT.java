package io.zonesync.http.core;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Named groups of regular expressions as variables, against Debian's nginx: in server_name,
 * location, rewrite, if and map, in PCRE's three spellings, with underscores, beside lookbehinds;
 * read before they are set (empty), and set again by {@code set}.
 */
class NamedCapturesDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        return Differential.start(dir, """
                access_log off;
                map $arg_p $mapped { ~^/v(?<map_ver>[0-9]+)/(?P<map_rest>.*)$ "map $map_ver $map_rest"; default "none [$map_ver]"; }
                server {
                    listen LISTEN;
                    server_name ~^(?<sub_name>[a-z]+)\\.named\\.test$ other.test;
                    location ~ ^/loc/(?<loc_id>[0-9]+)/(?'loc_name'[a-z]+)$ {
                        return 200 "loc $loc_id $loc_name $1 $2 sub=$sub_name\\n";
                    }
                    location /rw/ {
                        rewrite ^/rw/(?<rw_x>[^/]+)/(.*)$ /done/$rw_x/$2 last;
                        return 200 "no rewrite\\n";
                    }
                    location /done/ { return 200 "done $uri rw=$rw_x\\n"; }
                    location /if/ {
                        if ($arg_q ~ ^(?<if_a>\\w+)-(?<if_b>\\w+)$) { return 200 "if $if_a $if_b\\n"; }
                        return 200 "no match [$if_a]\\n";
                    }
                    location /map/ { return 200 "$mapped\\n"; }
                    location /unset/ { return 200 "[$loc_id] [$sub_name]\\n"; }
                    location /lookbehind/ {
                        location ~ (?<=/lookbehind/)(?<lb_x>x+)$ { return 200 "lb $lb_x\\n"; }
                    }
                    location /set/ { set $loc_id "from set"; return 200 "$loc_id\\n"; }
                    location ~ ^/posix/[[:digit:]]+(?<tail>[]a]*)$ { return 200 "posix $tail\\n"; }
                    location /class/ {
                        location ~ ^/class/[(?<]+(?<cls>[a-z]+)$ { return 200 "class $cls $1\\n"; }
                    }
                }
                """);
    }

    static List<String> requests() {
        return List.of(
                get("/loc/42/abc", "abc.named.test"),
                get("/loc/42/abc", "other.test"),
                get("/loc/x/abc", "abc.named.test"),
                get("/rw/one/two/three", "abc.named.test"),
                get("/if/?q=left-right", "other.test"),
                get("/if/?q=nomatch", "other.test"),
                get("/map/?p=/v3/users/7", "other.test"),
                get("/map/?p=/x", "other.test"),
                get("/unset/", "other.test"),
                get("/unset/", "zz.named.test"),
                get("/lookbehind/xxx", "other.test"),
                get("/set/", "other.test"),
                get("/class/((<abc", "other.test"),
                get("/posix/123a]a", "other.test"),
                get("/posix/x", "other.test"));
    }

    private static String get(String target, String host) {
        return "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    }

    @ParameterizedTest
    @MethodSource("requests")
    void namedGroupsAreVariablesAsInNginx(String request) throws Exception {
        assertSameAnswers(servers.both(request), request);
    }
}
