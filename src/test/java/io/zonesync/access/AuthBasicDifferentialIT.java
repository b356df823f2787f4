package io.zonesync.access;


import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * auth_basic against Debian's nginx: a password file holding every scheme nginx reads, allow/deny
 * under satisfy, variables in the realm and the file name, and a file edited while both run.
 */
class AuthBasicDifferentialIT extends DifferentialSuite {

    private Path dir;

    @Override
    protected Differential start(Path dir) throws Exception {
        this.dir = dir;
        // hashes made by openssl passwd and crypt(3), password "p@ss word" ("secret" for des, ssha, sha, plain)
        Files.writeString(dir.resolve("users"), """
                apr1:$apr1$saltsalt$11QAx5Oiaores.cTy1Ple.
                md5:$1$saltsalt$udhjyzAR8DFF1nZeQyefc/
                sha256:$5$saltsalt$xT/mmNsB7RkfxwWivwoAAuhS8/HYXy7f5BbVNc.I2UA
                sha512:$6$saltsalt$rHbw6H85dPLwWyAejtsT7gFv4MivikOUnBq0j/bHstEdzTUmB2yzY3O2Hk0HiFiskcuGvrOLwmNHBrDZLstZ50
                des:abNANd1rDfiNc
                ssha:{SSHA}uJDd0BIdJ9Z7yDCZNWdgYeb33+cBAgME
                sha:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=
                plain:{PLAIN}secret
                """);
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("f.txt"), "file\n");
        return Differential.start(dir, """
                access_log off;
                server {
                    listen LISTEN;
                    location / { auth_basic "zone"; auth_basic_user_file %1$s; alias %2$s/; add_header X-User $remote_user; }
                    location /realm/ { auth_basic "Realm of $host"; auth_basic_user_file %1$s; alias %2$s/; }
                    location /var/ { auth_basic "v"; auth_basic_user_file %3$s/$arg_f; alias %2$s/; }
                    location /missing/ { auth_basic "m"; auth_basic_user_file %3$s/nope; alias %2$s/; }
                    location /off/ { set $realm off; auth_basic $realm; auth_basic_user_file %1$s; alias %2$s/; }
                    location /realmarg/ { auth_basic $arg_r; auth_basic_user_file %1$s; alias %2$s/; }
                    location /edited/ { auth_basic "e"; auth_basic_user_file %3$s/edited; alias %2$s/; }
                    location /any/ {
                        satisfy any; allow 127.0.0.0/8; deny all;
                        auth_basic "zone"; auth_basic_user_file %1$s; alias %2$s/;
                    }
                    location /anydeny/ { satisfy any; deny all; auth_basic "zone"; auth_basic_user_file %1$s; alias %2$s/; }
                    location /alldeny/ { deny all; auth_basic "zone"; auth_basic_user_file %1$s; alias %2$s/; }
                    location /allallow/ { allow all; auth_basic "zone"; auth_basic_user_file %1$s; alias %2$s/; }
                }
                """.formatted(dir.resolve("users"), www, dir));
    }

    static List<String> logins() {
        return List.of("apr1:p@ss word", "md5:p@ss word", "sha256:p@ss word", "sha512:p@ss word", "des:secret",
                "ssha:secret", "sha:secret", "plain:secret", "md5:wrong", "sha512:wrong", "des:Secret",
                "ssha:wrong", "nobody:secret");
    }

    @ParameterizedTest
    @MethodSource("logins")
    void letsInWhomNginxLetsIn(String login) throws Exception {
        String auth = Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8));
        Differential.Pair p = servers.both("GET /f.txt HTTP/1.1\r\nHost: diff.test\r\nAuthorization: Basic " + auth
                + "\r\nConnection: close\r\n\r\n", Set.of("x-user", "www-authenticate"));
        assertSameAnswers(p, login);
        assertThat(p.zonesync().status()).isEqualTo(login.endsWith("secret") && !login.startsWith("nobody")
                || login.endsWith("p@ss word") ? 200 : 401);
    }

    static List<String> variableTargets() {
        return List.of("/realm/f.txt", "/var/f.txt?f=users", "/var/f.txt?f=nope", "/var/f.txt", "/missing/f.txt",
                "/off/f.txt", "/realmarg/f.txt?r=", "/realmarg/f.txt?r=x", "/realmarg/f.txt?r=off");
    }

    /** Variables in the realm and the file name; a file that is not there is 403 once credentials come. */
    @ParameterizedTest
    @MethodSource("variableTargets")
    void variablesAsNginxEvaluatesThem(String target) throws Exception {
        assertSameAnswers(servers.both("GET " + target + " HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n",
                Set.of("www-authenticate")), target + " without credentials");
        String auth = Base64.getEncoder().encodeToString("plain:secret".getBytes(StandardCharsets.UTF_8));
        assertSameAnswers(servers.both("GET " + target + " HTTP/1.1\r\nHost: diff.test\r\nAuthorization: Basic "
                + auth + "\r\nConnection: close\r\n\r\n", Set.of("www-authenticate")), target + " with credentials");
    }

    /** As nginx reads the file per request, an edit counts at once, with no reload. */
    @Test
    void anEditedFileCountsAtOnce() throws Exception {
        Path edited = dir.resolve("edited");
        String bob = "GET /edited/f.txt HTTP/1.1\r\nHost: diff.test\r\nAuthorization: Basic "
                + Base64.getEncoder().encodeToString("bob:pw1".getBytes(StandardCharsets.UTF_8))
                + "\r\nConnection: close\r\n\r\n";
        Files.writeString(edited, "alice:{PLAIN}x\n");
        Differential.Pair before = servers.both(bob);
        assertSameAnswers(before, "bob before he is added");
        assertThat(before.zonesync().status()).isEqualTo(401);
        Files.writeString(edited, "alice:{PLAIN}x\nbob:{PLAIN}pw1\n");
        Differential.Pair after = servers.both(bob);
        assertSameAnswers(after, "bob once he is added");
        assertThat(after.zonesync().status()).isEqualTo(200);
        Files.writeString(edited, "bob:{PLAIN}pw2\n");
        Differential.Pair changed = servers.both(bob);
        assertSameAnswers(changed, "bob after his password changed");
        assertThat(changed.zonesync().status()).isEqualTo(401);
    }

    static List<String> satisfied() {
        return List.of("/any/f.txt", "/anydeny/f.txt", "/alldeny/f.txt", "/allallow/f.txt");
    }

    /** satisfy any lets either allow or the password suffice; satisfy all needs both, the rules first. */
    @ParameterizedTest
    @MethodSource("satisfied")
    void satisfiesAsNginxDoes(String target) throws Exception {
        assertSameAnswers(servers.both("GET " + target + " HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n",
                Set.of("www-authenticate")), target + " without credentials");
        String auth = Base64.getEncoder().encodeToString("plain:secret".getBytes(StandardCharsets.UTF_8));
        assertSameAnswers(servers.both("GET " + target + " HTTP/1.1\r\nHost: diff.test\r\nAuthorization: Basic "
                + auth + "\r\nConnection: close\r\n\r\n", Set.of("www-authenticate")), target + " with credentials");
    }
}
