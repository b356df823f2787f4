package io.zonesync.http.authrequest;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.Nginx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code auth_request} and {@code auth_request_set} against Debian's nginx, both asking the same
 * auth backend (an nginx answering 200, 401 with WWW-Authenticate, 403, 500, and echoing what it
 * was sent) and a peer that accepts and never answers (a timeout): which requests get in, the
 * status and challenge of those that do not, a header copied from the auth response, and how it
 * combines with allow/deny under {@code satisfy all} and {@code satisfy any}.
 */
class AuthRequestDifferentialIT extends DifferentialSuite {
    private Nginx backend;
    /** Accepts connections (the kernel's backlog) and never reads or answers them. */
    private ServerSocket silent;

    @Override
    protected Differential start(Path dir) throws Exception {
        silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Path users = Files.writeString(dir.resolve("users"), "user:{PLAIN}secret\n");
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN;
                    location /auth/ok { add_header X-User alice; return 200 "auth body"; }
                    location /auth/401 { add_header WWW-Authenticate 'Bearer realm="api"' always; return 401; }
                    location /auth/403 { return 403; }
                    location /auth/500 { return 500; }
                    location /auth/404 { return 404; }
                    location /auth/echo {
                        add_header X-Seen "$request_method $request_uri [$http_x_test] [$http_content_length]";
                        return 204;
                    }
                    location / { return 200 "content $request_method $uri"; }
                }
                """);
        return Differential.start(dir, """
                access_log off;
                server {
                    listen LISTEN;
                    location = /_ok { internal; proxy_pass http://%1$s/auth/ok; }
                    location = /_401 { internal; proxy_pass http://%1$s/auth/401; }
                    location = /_403 { internal; proxy_pass http://%1$s/auth/403; }
                    location = /_500 { internal; proxy_pass http://%1$s/auth/500; }
                    location = /_404 { internal; proxy_pass http://%1$s/auth/404; }
                    location = /_echo {
                        internal;
                        proxy_pass_request_body off;
                        proxy_set_header Content-Length "";
                        proxy_set_header X-Original-URI $request_uri;
                        proxy_pass http://%1$s/auth/echo;
                    }
                    location = /_slow { internal; proxy_read_timeout 1s; proxy_pass http://127.0.0.1:%2$d/; }
                    location /ok/ {
                        auth_request /_ok;
                        auth_request_set $user $upstream_http_x_user;
                        add_header X-User $user;
                        proxy_pass http://%1$s;
                    }
                    location /401/ { auth_request /_401; add_header X-Denied yes always; proxy_pass http://%1$s; }
                    location /403/ { auth_request /_403; proxy_pass http://%1$s; }
                    location /500/ { auth_request /_500; proxy_pass http://%1$s; }
                    location /404/ { auth_request /_404; proxy_pass http://%1$s; }
                    location /slow/ { auth_request /_slow; proxy_pass http://%1$s; }
                    location /echo/ {
                        auth_request /_echo;
                        auth_request_set $seen $upstream_http_x_seen;
                        add_header X-Seen $seen;
                        proxy_pass http://%1$s;
                    }
                    location /denied/ { deny all; auth_request /_ok; proxy_pass http://%1$s; }
                    location /allowed/ { allow all; auth_request /_403; proxy_pass http://%1$s; }
                    location /off/ { auth_request /_403; location /off/inner/ { auth_request off; proxy_pass http://%1$s; } }
                    location /server/ {
                        auth_request /_ok;
                        auth_request_set $user $upstream_http_x_user;
                        location /server/inner/ { add_header X-User $user; proxy_pass http://%1$s; }
                    }
                    location /any-allowed/ { satisfy any; allow 127.0.0.0/8; deny all; auth_request /_403; proxy_pass http://%1$s; }
                    location /any-ok/ { satisfy any; deny all; auth_request /_ok; proxy_pass http://%1$s; }
                    location /any-401/ { satisfy any; deny all; auth_request /_401; proxy_pass http://%1$s; }
                    location /any-403/ { satisfy any; deny all; auth_request /_403; proxy_pass http://%1$s; }
                    location /any-500/ { satisfy any; allow 10.0.0.0/8; auth_request /_500; proxy_pass http://%1$s; }
                    location /all-401/ { satisfy all; allow all; auth_request /_401; proxy_pass http://%1$s; }
                    location /page-401/ { auth_request /_401; error_page 401 /login; proxy_pass http://%1$s; }
                    location = /login { return 200 "login page"; }
                    location /order-basic/ {
                        auth_basic "zone"; auth_basic_user_file %3$s; auth_request /_403; proxy_pass http://%1$s;
                    }
                    location /order-deny/ { deny all; auth_request /_401; proxy_pass http://%1$s; }
                    location /vars/ {
                        set $who parent;
                        auth_request /_vars;
                        auth_request_set $seen "$who $uri $request_uri $request_method [$args] $request";
                        add_header X-Seen $seen always;
                        proxy_pass http://%1$s;
                    }
                    location = /_vars { internal; deny all; set $who "${who}-sub"; proxy_pass http://%1$s/auth/ok; }
                }
                """.formatted(backend.address(), silent.getLocalPort(), users));
    }

    @AfterAll
    void stopBackends() throws IOException {
        if (backend != null) {
            backend.close();
        }
        if (silent != null) {
            silent.close();
        }
    }

    /** GET {@code target} from both, comparing the WWW-Authenticate header too. */
    private Differential.Pair get(String target) throws IOException {
        return servers.both("GET " + target + " HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n",
                Set.of("www-authenticate"));
    }

    static List<String> requests() {
        return List.of("/ok/a?x=1", "/401/a", "/403/a", "/500/a", "/404/a", "/slow/a", "/echo/a?q=1", "/denied/a",
                "/allowed/a", "/off/inner/a", "/server/inner/a", "/_ok", "/any-allowed/a", "/any-ok/a", "/any-401/a",
                "/any-403/a", "/any-500/a", "/all-401/a", "/page-401/a", "/order-basic/a", "/order-deny/a");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void decidesAsNginxDoes(String target) throws Exception {
        assertSameAnswers(get(target), "GET " + target);
    }

    @Test
    void theOutcomesComparedAreThereToCompare() throws Exception {
        assertThat(get("/ok/a").zonesync().body()).isEqualTo("content GET /ok/a");
        assertThat(get("/ok/a").zonesync().headers()).containsEntry("x-user", "alice");
        Differential.Answer challenged = get("/401/a").zonesync();
        assertThat(challenged.status()).isEqualTo(401);
        assertThat(challenged.headers()).containsEntry("www-authenticate", "Bearer realm=\"api\"");
        assertThat(get("/403/a").zonesync().status()).isEqualTo(403);
        assertThat(get("/500/a").zonesync().status()).isEqualTo(500);
        assertThat(get("/slow/a").zonesync().status()).isEqualTo(500);
        assertThat(get("/_ok").zonesync().status()).isEqualTo(404);
        assertThat(get("/echo/a?q=1").zonesync().headers()).containsEntry("x-seen", "GET /auth/echo [] []");
        assertThat(get("/any-allowed/a").zonesync().status()).isEqualTo(200);
        assertThat(get("/any-ok/a").zonesync().status()).isEqualTo(200);
        assertThat(get("/any-401/a").zonesync().status()).isEqualTo(401);
        assertThat(get("/any-403/a").zonesync().status()).isEqualTo(403);
        assertThat(get("/page-401/a").zonesync().headers()).containsKey("www-authenticate");
        assertThat(get("/order-basic/a").zonesync().status()).as("auth_basic before auth_request").isEqualTo(401);
        assertThat(get("/order-deny/a").zonesync().status()).as("deny before auth_request").isEqualTo(403);
    }

    /** The subrequest shares the parent's variables, $request_uri and $request_method, has its own $uri, skips access. */
    @Test
    void theSubrequestSeesItsParentsVariables() throws Exception {
        Differential.Pair p = servers.both("PUT /vars/x?a=1 HTTP/1.1\r\nHost: diff.test\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n");
        assertSameAnswers(p, "PUT /vars/x?a=1");
        assertThat(p.zonesync().headers()).containsEntry("x-seen",
                "parent-sub /_vars /vars/x?a=1 PUT [] PUT /vars/x?a=1 HTTP/1.1");
    }

    @Test
    void theSubrequestCarriesTheHeadersButNotTheBody() throws Exception {
        String post = "POST /echo/b?q=2 HTTP/1.1\r\nHost: diff.test\r\nX-Test: yes\r\nContent-Length: 5\r\n"
                + "Connection: close\r\n\r\nhello";
        Differential.Pair p = servers.both(post, Set.of("www-authenticate"));
        assertSameAnswers(p, "POST /echo/b with a body");
        assertThat(p.zonesync().headers()).containsEntry("x-seen", "GET /auth/echo [yes] []");
        assertThat(p.zonesync().body()).isEqualTo("content POST /echo/b");
    }
}
