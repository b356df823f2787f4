package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.Nginx;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What of an upstream's response reaches the client, and what of the client's request reaches the
 * upstream, against Debian's nginx in front of the same backend (an nginx too): the default
 * headers, {@code proxy_hide_header}, {@code proxy_pass_header} (Server and Date too),
 * {@code proxy_intercept_errors} with {@code error_page}, {@code proxy_redirect},
 * {@code proxy_cookie_domain}/{@code _path}/{@code _flags}, X-Accel-Redirect and
 * {@code proxy_ignore_headers}, {@code proxy_set_body} and {@code proxy_pass_request_body}.
 */
class ProxyResponseDifferentialIT extends DifferentialSuite {
    private static final Set<String> COOKIES = Set.of("set-cookie", "refresh", "content-disposition", "expires");
    private Nginx backend;

    @Override
    protected Differential start(Path dir) throws Exception {
        String sock = dir.resolve("show.sock").toString();
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                map $uri $xa {
                    /accel/uri "/internal/file?a=1"; /accel/named "@named"; /accel/unsafe "/internal/%%2e%%2e/x";
                    /accel/stored "/stored/echo/";
                }
                server {
                    listen LISTEN;
                    location / {
                        server_tokens off;
                        add_header X-Powered-By PHP; add_header X-Accel-Expires 60; add_header X-Pad pad;
                        add_header X-Keep keep;
                        return 200 "backend $uri";
                    }
                    location /seen/ { return 200 "backend $request_uri"; }
                    location /status/404 { return 404 "backend 404"; }
                    location /status/500 { return 500 "backend 500"; }
                    location /echo/ { return 200 "$request_method [$http_x_test] [$http_host]"; }
                    location /charset/ {
                        add_header X-Accel-Charset koi8-r; add_header X-Accel-Buffering no;
                        add_header X-Accel-Expires 5;
                        add_header Cache-Control max-age=9; add_header Vary Accept;
                        return 200 "charset";
                    }
                    location /date/ { add_header Date "Sat, 01 Jan 2000 00:00:00 GMT"; return 200 "dated"; }
                    location /cookies/ {
                        add_header Set-Cookie "a=1; Domain=.Backend.test; Path=/app/x; SameSite=lax";
                        add_header Set-Cookie "b=2;domain=www.other.test ; path=/API/v1 ;secure";
                        add_header Set-Cookie "sess=3; Path=/app/; Secure; HttpOnly; samesite=Strict";
                        add_header Set-Cookie "novalue; Domain=backend.test; Path=/app/";
                        add_header Set-Cookie "c=4; Path=/elsewhere; Domain=backend.testing";
                        return 200 "cookies";
                    }
                    location /refresh/ {
                        add_header Refresh "5; URL=http://backend.test/app/page";
                        return 302 "http://backend.test/app/moved";
                    }
                    location /accel/ {
                        default_type application/x-backend;
                        add_header Set-Cookie "t=1; Path=/app/";
                        add_header Content-Disposition "attachment; filename=x";
                        add_header Expires "Thu, 01 Jan 2037 00:00:00 GMT";
                        add_header X-Other other;
                        add_header X-Accel-Redirect $xa;
                        return 200 "upstream body";
                    }
                    location /show/ {
                        proxy_pass http://unix:%1$s:/;
                        proxy_set_header X-Method $request_method;
                        proxy_set_header X-CL $http_content_length;
                        proxy_set_header X-TE $http_transfer_encoding;
                        proxy_set_header X-Body $request_body;
                    }
                    location /nobody/ { return 200 "[$http_content_length] [$http_transfer_encoding]"; }
                }
                server {
                    listen unix:%1$s;
                    location / { return 200 "[$http_x_method] [$http_x_cl] [$http_x_te] [$http_x_body]"; }
                }
                """.formatted(sock));
        return Differential.start(dir, """
                access_log off;
                server {
                    listen LISTEN;
                    proxy_cookie_path /app/ /srv/;
                    location /default/ { proxy_pass http://%1$s; }
                    location /seen/ { set $args "p=2&$args"; proxy_pass http://%1$s; }
                    location /seenuri/ { set $args "p=3"; proxy_pass http://%1$s/seen/base; }
                    location /hide/ { proxy_hide_header X-Powered-By; proxy_pass http://%1$s; }
                    location /pass/ { proxy_pass_header X-Accel-Expires; proxy_pass_header X-Pad; proxy_pass http://%1$s; }
                    location /inherit/ { proxy_hide_header X-Keep; location /inherit/inner/ { proxy_pass http://%1$s; } }
                    location /intercept/ { proxy_intercept_errors on; error_page 404 /handled; proxy_pass http://%1$s/status/; }
                    location /through/ { error_page 404 /handled; proxy_pass http://%1$s/status/; }
                    location = /handled { return 200 "handled $uri"; }
                    location /method/ { proxy_method POST; proxy_pass http://%1$s/echo/; }
                    location /noheaders/ { proxy_pass_request_headers off; proxy_pass http://%1$s/echo/; }
                    location /headers/ { proxy_pass http://%1$s/echo/; }
                    location /server/ { proxy_pass_header Server; proxy_pass http://%1$s/; }
                    location /date/ { proxy_pass_header Date; proxy_pass http://%1$s/date/; }
                    location /ck/ {
                        proxy_cookie_domain backend.test front.test;
                        proxy_cookie_domain ~^www\\.(.+)\\.test$ $1.$arg_tld;
                        proxy_cookie_path /app/ /;
                        proxy_cookie_path ~*^/api/(.*)$ /v2/$1;
                        proxy_cookie_flags sess nosecure nohttponly samesite=none;
                        proxy_cookie_flags ~^A$ secure httponly;
                        proxy_cookie_flags b $arg_flag;
                        proxy_pass http://%1$s/cookies/;
                    }
                    location /ck-inherit/ { proxy_pass http://%1$s/cookies/; }
                    location /ck-off/ { proxy_cookie_path off; proxy_pass http://%1$s/cookies/; }
                    location /redirect-default/ { proxy_pass http://%1$s/refresh/; }
                    location /redirect/ {
                        proxy_redirect http://backend.test/app/ /front/;
                        proxy_pass http://%1$s/refresh/;
                    }
                    location /redirect-re/ {
                        proxy_redirect ~*^HTTP://([^/]+)/app/(.*)$ http://$host/$1/$2$is_args$args;
                        proxy_pass http://%1$s/refresh/;
                    }
                    location /redirect-var/ {
                        proxy_redirect http://$arg_b/ /v/;
                        proxy_pass http://%1$s/refresh/;
                    }
                    location /redirect-off/ { proxy_redirect off; proxy_pass http://%1$s/refresh/; }
                    location /xa/ { proxy_cookie_path /app/ /x/; proxy_pass http://%1$s/accel/; }
                    location /xa-ignored/ {
                        proxy_ignore_headers Expires X-Accel-Redirect; proxy_pass http://%1$s/accel/;
                    }
                    location /xa-others/ { proxy_ignore_headers X-Accel-Expires Expires Cache-Control Set-Cookie Vary
                        X-Accel-Limit-Rate X-Accel-Buffering X-Accel-Charset; proxy_pass http://%1$s/accel/; }
                    location /charset/ { proxy_pass http://%1$s; }
                    location /charset-ignored/ {
                        proxy_ignore_headers X-Accel-Charset X-Accel-Buffering; proxy_pass http://%1$s/charset/;
                    }
                    location /stored/ { internal; proxy_pass http://%1$s/; }
                    location /internal/ { internal; return 200 "internal $uri $args $request_method"; }
                    location @named { return 200 "named $uri $request_method"; }
                    location /setbody/ { proxy_set_body "n=$arg_n"; proxy_pass http://%1$s/show/; }
                    location /readbody/ { proxy_pass http://%1$s/show/; }
                    location /nobody/ { proxy_pass_request_body off; proxy_pass http://%1$s/nobody/; }
                    location /nobody-recipe/ {
                        proxy_pass_request_body off; proxy_set_header Content-Length "";
                        proxy_pass http://%1$s/show/;
                    }
                }
                """.formatted(backend.address()));
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    static List<String> requests() {
        return List.of("/default/a", "/seen/a?o=1", "/seen/b", "/seenuri/c?o=1", "/hide/a", "/pass/a", "/inherit/inner/a", "/intercept/404", "/intercept/500",
                "/through/404");
    }

    @Test
    void theHeadersComparedAreThereToCompare() throws Exception {
        assertThat(servers.get("/default/a").nginx().headers()).containsEntry("x-powered-by", "PHP")
                .doesNotContainKey("x-accel-expires");
        assertThat(servers.get("/pass/a").zonesync().headers()).containsEntry("x-accel-expires", "60")
                .containsEntry("x-pad", "pad");
        assertThat(servers.get("/intercept/404").zonesync().body()).isEqualTo("handled /handled");
        assertThat(servers.get("/through/404").zonesync().body()).isEqualTo("backend 404");
    }

    @Test
    void theRequestGoesUpstreamAsNginxSendsIt() throws Exception {
        for (String path : List.of("/method/x", "/noheaders/x", "/headers/x")) {
            assertSameAnswers(servers.both("GET " + path + " HTTP/1.1\r\nHost: diff.test\r\nX-Test: yes\r\n"
                    + "Connection: close\r\n\r\n"), path);
        }
        assertThat(servers.get("/method/x").zonesync().body()).startsWith("POST");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void passesHeadersAsNginxDoes(String target) throws Exception {
        Differential.Pair p = servers.get(target);
        assertSameAnswers(p, "GET " + target);
    }

    private Differential.Pair withHeaders(String target, Set<String> also) throws Exception {
        return servers.both("GET " + target + " HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n", also);
    }

    @ParameterizedTest
    @MethodSource("cookieRequests")
    void rewritesSetCookieAsNginxDoes(String target) throws Exception {
        Differential.Pair p = withHeaders(target, COOKIES);
        assertSameAnswers(p, "GET " + target);
    }

    static List<String> cookieRequests() {
        return List.of("/ck/x?tld=example&flag=samesite=lax", "/ck/x?tld=&flag=", "/ck/x?flag=bogus",
                "/ck-inherit/x", "/ck-off/x");
    }

    @Test
    void theCookiesComparedWereRewritten() throws Exception {
        String cookies = withHeaders("/ck/x?tld=example&flag=samesite=lax", COOKIES).zonesync().headers()
                .get("set-cookie");
        assertThat(cookies).contains("a=1; Domain=.front.test; Path=/x; SameSite=lax; Secure; HttpOnly")
                .contains("b=2; domain=other.example; path=/v2/v1; secure; SameSite=Lax")
                .contains("sess=3; Path=/; SameSite=None").contains("novalue; Domain=backend.test; Path=/app/");
    }

    @ParameterizedTest
    @MethodSource("redirectRequests")
    void rewritesLocationAndRefreshAsNginxDoes(String target) throws Exception {
        assertSameAnswers(withHeaders(target, COOKIES), "GET " + target);
    }

    static List<String> redirectRequests() {
        return List.of("/redirect-default/x", "/redirect/x", "/redirect-re/x?q=1", "/redirect-var/x?b=backend.test",
                "/redirect-var/x?b=other", "/redirect-off/x");
    }

    @Test
    void theRedirectsComparedWereRewritten() throws Exception {
        Differential.Answer a = withHeaders("/redirect/x", COOKIES).zonesync();
        assertThat(a.headers()).containsEntry("location", "http://diff.test:PORT/front/moved")
                .containsEntry("refresh", "5; URL=/front/page");
    }

    @ParameterizedTest
    @MethodSource("accelRequests")
    void followsXAccelRedirectAsNginxDoes(String request) throws Exception {
        assertSameAnswers(servers.both(request, COOKIES), request);
    }

    static List<String> accelRequests() {
        String tail = " HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n";
        return List.of("GET /xa/uri" + tail + "\r\n", "POST /xa/uri" + tail + "Content-Length: 3\r\n\r\nabc",
                "HEAD /xa/uri" + tail + "\r\n", "POST /xa/named" + tail + "Content-Length: 0\r\n\r\n",
                "GET /xa/unsafe" + tail + "\r\n", "GET /xa-ignored/uri" + tail + "\r\n",
                "GET /xa-others/uri" + tail + "\r\n", "GET /xa/stored" + tail + "X-Test: t\r\n\r\n",
                "POST /xa/stored" + tail + "Content-Length: 3\r\n\r\nabc", "GET /charset/" + tail + "\r\n",
                "GET /charset-ignored/" + tail + "\r\n");
    }

    @Test
    void theAccelRedirectsComparedWereFollowed() throws Exception {
        Differential.Answer a = servers.both("POST /xa/uri HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n"
                + "Content-Length: 3\r\n\r\nabc", COOKIES).zonesync();
        assertThat(a.body()).isEqualTo("internal /internal/file a=1 GET");
        assertThat(a.headers()).containsEntry("set-cookie", "t=1; Path=/x/").doesNotContainKey("x-other");
        assertThat(servers.get("/xa-ignored/uri").zonesync().body()).isEqualTo("upstream body");
    }

    @ParameterizedTest
    @MethodSource("bodyRequests")
    void sendsTheBodyAsNginxDoes(String request) throws Exception {
        assertSameAnswers(servers.both(request), request);
    }

    static List<String> bodyRequests() {
        String tail = " HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n";
        return List.of("POST /readbody/x" + tail + "Content-Length: 10\r\n\r\nclientbody",
                "POST /setbody/x?n=v%20w" + tail + "Content-Length: 10\r\n\r\nclientbody",
                "POST /setbody/x?n=chunked" + tail + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n",
                "GET /setbody/x" + tail + "\r\n",
                "POST /nobody/x" + tail + "Content-Length: 10\r\n\r\nclientbody",
                "POST /nobody/x" + tail + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n",
                "GET /nobody/x" + tail + "\r\n",
                "POST /nobody-recipe/x" + tail + "Content-Length: 10\r\n\r\nclientbody");
    }

    @Test
    void theBodiesComparedAreWhatTheDirectivesSay() throws Exception {
        String tail = " HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n";
        assertThat(servers.both("POST /setbody/x?n=v" + tail + "Content-Length: 10\r\n\r\nclientbody").zonesync()
                .body()).isEqualTo("[POST] [3] [] [n=v]");
        assertThat(servers.both("POST /nobody/x" + tail + "Content-Length: 10\r\n\r\nclientbody").zonesync().body())
                .isEqualTo("[10] []");
    }

    @Test
    void passesTheUpstreamServerAndDateWhenTold() throws Exception {
        Set<String> also = Set.of("server", "date");
        Differential.Pair server = withHeaders("/server/a", also);
        // the backend says "nginx": the name each answer's own server is normalised from
        assertThat(server.zonesync().headers()).containsEntry("server", "nginx");
        assertThat(server.nginx().headers()).containsEntry("server", "SERVER");
        assertThat(withHeaders("/default/a", also).zonesync().headers()).containsEntry("server", "SERVER/VERSION");
        Differential.Pair date = withHeaders("/date/a", also);
        assertThat(date.zonesync().headers().get("date")).endsWith("Sat, 01 Jan 2000 00:00:00 GMT");
        assertThat(date.zonesync().headers().get("date").split("\n"))
                .hasSameSizeAs(date.nginx().headers().get("date").split("\n"));
        assertThat(date.nginx().headers().get("date")).endsWith("Sat, 01 Jan 2000 00:00:00 GMT");
    }
}
