package io.zonesync.access;


import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** auth_basic with a password file holding every scheme nginx reads, and with allow/deny under satisfy, against Debian's nginx. */
class AuthBasicDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
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
                    location / { auth_basic "zone"; auth_basic_user_file %1$s; return 200 "hello $remote_user"; }
                    location /any/ {
                        satisfy any; allow 127.0.0.0/8; deny all;
                        auth_basic "zone"; auth_basic_user_file %1$s; alias %2$s/;
                    }
                    location /anydeny/ { satisfy any; deny all; auth_basic "zone"; auth_basic_user_file %1$s; alias %2$s/; }
                    location /alldeny/ { deny all; auth_basic "zone"; auth_basic_user_file %1$s; alias %2$s/; }
                    location /allallow/ { allow all; auth_basic "zone"; auth_basic_user_file %1$s; alias %2$s/; }
                }
                """.formatted(dir.resolve("users"), www));
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
        Differential.Pair p = servers.both("GET / HTTP/1.1\r\nHost: diff.test\r\nAuthorization: Basic " + auth
                + "\r\nConnection: close\r\n\r\n");
        assertSameAnswers(p, login);
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
