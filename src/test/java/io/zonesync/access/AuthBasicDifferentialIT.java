package io.zonesync.access;


import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** auth_basic with a password file holding every scheme nginx reads, against Debian's nginx. */
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
        return Differential.start(dir, """
                access_log off;
                server {
                    listen LISTEN;
                    location / { auth_basic "zone"; auth_basic_user_file %s; return 200 "hello $remote_user"; }
                }
                """.formatted(dir.resolve("users")));
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
}
