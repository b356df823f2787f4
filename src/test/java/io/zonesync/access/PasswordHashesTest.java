package io.zonesync.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

/** bcrypt against BouncyCastle's implementation as the oracle; apr1 against hashes made by {@code openssl passwd -apr1}. */
class PasswordHashesTest {

    @Test
    void piWordsAreBlowfishsInitialConstants() {
        int[] w = Bcrypt.piWords(18 + 1024);
        assertThat(w[0]).isEqualTo(0x243f6a88);
        assertThat(w[1]).isEqualTo(0x85a308d3);
        assertThat(w[17]).isEqualTo(0x8979fb1b); // last word of the P-array
        assertThat(w[18]).isEqualTo(0xd1310ba6); // S-box 0, entry 0
        assertThat(w[18 + 1023]).isEqualTo(0x3ac372e6); // S-box 3, entry 255
    }

    @Test
    void bcryptMatchesBouncyCastleForEveryVersionAndSeveralPasswords() {
        SecureRandom random = new SecureRandom();
        String[] passwords = {"", "a", "secret", "p@ss word with spaces", "ünïcödé", "x".repeat(71), "y".repeat(72),
            "z".repeat(100)};
        for (String version : new String[] {"2a", "2b", "2y"}) {
            for (String pw : passwords) {
                byte[] salt = new byte[16];
                random.nextBytes(salt);
                String hash = OpenBSDBCrypt.generate(version, pw.getBytes(StandardCharsets.UTF_8), salt, 4);
                assertThat(Bcrypt.matches(pw, hash)).as("%s %s", version, pw).isTrue();
                assertThat(Bcrypt.matches("!" + pw, hash)).as("%s wrong %s", version, pw).isFalse();
            }
        }
        String cost6 = OpenBSDBCrypt.generate("2y", "api-writer".getBytes(StandardCharsets.UTF_8), new byte[16], 6);
        assertThat(Bcrypt.matches("api-writer", cost6)).isTrue();
    }

    @Test
    void malformedOrTooCostlyBcryptHashesNeverMatch() {
        assertThat(Bcrypt.matches("x", "$2y$10$short")).isFalse();
        assertThat(Bcrypt.matches("x", "$2y$99$" + "a".repeat(53))).isFalse();
        String tooCostly = OpenBSDBCrypt.generate("2y", "x".getBytes(StandardCharsets.UTF_8), new byte[16], 4)
                .replace("$04$", "$17$");
        assertThat(Bcrypt.matches("x", tooCostly)).isFalse();
    }

    @Test
    void cryptSchemesMatchOpensslAndCrypt3() {
        // openssl passwd -apr1 / -1 / -5 / -6 -salt saltsalt 'p@ss word'; DES from crypt(3)
        assertThat(CryptSchemes.matches("p@ss word", "$apr1$saltsalt$11QAx5Oiaores.cTy1Ple.")).isTrue();
        assertThat(CryptSchemes.matches("secret", "$apr1$x$12YdXEY0/hH4rDNkmZupO0")).isTrue();
        assertThat(CryptSchemes.matches("Secret", "$apr1$x$12YdXEY0/hH4rDNkmZupO0")).isFalse();
        assertThat(CryptSchemes.matches("p@ss word", "$1$saltsalt$udhjyzAR8DFF1nZeQyefc/")).isTrue();
        assertThat(CryptSchemes.matches("p@ss word", "$5$saltsalt$xT/mmNsB7RkfxwWivwoAAuhS8/HYXy7f5BbVNc.I2UA"))
                .isTrue();
        assertThat(CryptSchemes.matches("p@ss word", "$6$saltsalt$rHbw6H85dPLwWyAejtsT7gFv4MivikOUnBq0j/bHstEdzTUm"
                + "B2yzY3O2Hk0HiFiskcuGvrOLwmNHBrDZLstZ50")).isTrue();
        assertThat(CryptSchemes.matches("p@ss w0rd", "$6$saltsalt$rHbw6H85dPLwWyAejtsT7gFv4MivikOUnBq0j/bHstEdzTUm"
                + "B2yzY3O2Hk0HiFiskcuGvrOLwmNHBrDZLstZ50")).isFalse();
        assertThat(CryptSchemes.matches("secret", "abNANd1rDfiNc")).isTrue();
        assertThat(CryptSchemes.matches("secreT", "abNANd1rDfiNc")).isFalse();
        assertThat(CryptSchemes.matches("x", "$6$broken")).isFalse();
    }

    @Test
    void saltedShaMatches() {
        // base64(sha1("secret" + salt) + salt), salt 01 02 03 04
        assertThat(CryptSchemes.matchesSsha("secret", "uJDd0BIdJ9Z7yDCZNWdgYeb33+cBAgME")).isTrue();
        assertThat(CryptSchemes.matchesSsha("Secret", "uJDd0BIdJ9Z7yDCZNWdgYeb33+cBAgME")).isFalse();
        assertThat(CryptSchemes.matchesSsha("secret", "short")).isFalse();
    }

    @Test
    void basicCredentialsAreParsedAndGarbageIsNot() {
        assertThat(AccessCheck.credentials("Basic dXNlcjpwYTpzcw==")).containsExactly("user", "pa:ss");
        assertThat(AccessCheck.credentials("basic dXNlcjpwYTpzcw==")).containsExactly("user", "pa:ss");
        assertThat(AccessCheck.credentials("Basic !!!")).isNull();
        assertThat(AccessCheck.credentials("Bearer abc")).isNull();
        assertThat(AccessCheck.credentials("Basic dXNlcg==")).isNull();
        assertThat(AccessCheck.credentials(null)).isNull();
    }
}
