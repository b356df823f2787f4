package io.zonesync.http.authjwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which tokens pass auth_jwt's check: every algorithm family, times, keys chosen by kid, and forgeries. */
class JwtVerifierTest {
    private static final long NOW = 1_700_000_000L;
    private static final long NOW_MS = NOW * 1000 + 500;

    private static JwtVerifier verifier(long leeway, JWK... keys) throws Exception {
        List<JwtKey> list = new ArrayList<>();
        for (JWK k : keys) {
            JwtKey key = JwtKey.of(k);
            if (key != null) {
                list.add(key);
            }
        }
        return new JwtVerifier(list, leeway);
    }

    private static Tokens.SigningKey key(String family, String kid) throws Exception {
        return switch (family) {
            case "hmac" -> Tokens.hmac(kid, 512);
            case "rsa" -> Tokens.rsa(kid);
            case "P-256" -> Tokens.ec(kid, Curve.P_256);
            case "P-384" -> Tokens.ec(kid, Curve.P_384);
            case "P-521" -> Tokens.ec(kid, Curve.P_521);
            case "Ed25519" -> Tokens.edwards(kid, Curve.Ed25519);
            case "Ed448" -> Tokens.edwards(kid, Curve.Ed448);
            default -> throw new IllegalArgumentException(family);
        };
    }

    @ParameterizedTest
    @CsvSource({"HS256,hmac", "HS384,hmac", "HS512,hmac", "RS256,rsa", "RS384,rsa", "RS512,rsa", "PS256,rsa",
        "PS384,rsa", "PS512,rsa", "ES256,P-256", "ES384,P-384", "ES512,P-521", "EdDSA,Ed25519", "EdDSA,Ed448"})
    void everyDocumentedAlgorithmPassesWithItsKeyAndFailsWithAnother(String alg, String family) throws Exception {
        Tokens.SigningKey right = key(family, "k1");
        Tokens.SigningKey other = key(family, "k1");
        String token = right.sign(Tokens.alg(alg), "k1", Tokens.claims("alice", NOW + 60, NOW - 60));

        JwtVerifier.Result ok = verifier(0, right.published()).verify(token, NOW_MS);
        assertThat(ok.passed()).as(ok.failure()).isTrue();
        assertThat(ok.token().claim(List.of("sub"))).isEqualTo("alice");
        assertThat(ok.token().header(List.of("alg"))).isEqualTo(alg);

        JwtVerifier.Result wrong = verifier(0, other.published()).verify(token, NOW_MS);
        assertThat(wrong.passed()).isFalse();
        assertThat(wrong.failure()).isEqualTo("signature verification failed");
    }

    @Test
    void aTamperedPayloadFailsTheSignature() throws Exception {
        Tokens.SigningKey k = Tokens.rsa(null);
        String token = k.sign(JWSAlgorithm.RS256, null, Tokens.claims("alice", 0, 0));
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + Tokens.b64(Tokens.claims("admin", 0, 0)) + "." + parts[2];
        assertThat(verifier(0, k.published()).verify(forged, NOW_MS).failure())
                .isEqualTo("signature verification failed");
    }

    @Test
    void aShortHmacSecretAsInNginxPlusExamplesWorks() throws Exception {
        Tokens.SigningKey k = Tokens.shortSecret("0001", "fantasticjwt");
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
            String token = k.sign(alg, "0001", Tokens.claims("lc1", 0, 0));
            assertThat(verifier(0, k.published()).verify(token, NOW_MS).passed()).as(alg.getName()).isTrue();
        }
        String other = Tokens.shortSecret("0001", "fantasticjwT").sign(JWSAlgorithm.HS256, "0001",
                Tokens.claims("lc1", 0, 0));
        assertThat(verifier(0, k.published()).verify(other, NOW_MS).passed()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        // exp, nbf (offsets from now, s; 0 = absent), leeway, failure (empty = passes)
        "-1, 0, 0, the token has expired",
        "0, 0, 0, ''",
        "1, 0, 0, ''",
        "-30, 0, 60, ''",
        "-61, 0, 60, the token has expired",
        "0, 1, 0, the token is not yet valid",
        "0, -1, 0, ''",
        "0, 30, 60, ''",
        "0, 61, 60, the token is not yet valid",
    })
    void expAndNbfAdmitTheTimeGiveOrTakeTheLeeway(long exp, long nbf, long leeway, String failure) throws Exception {
        Tokens.SigningKey k = Tokens.hmac(null, 256);
        String token = k.sign(JWSAlgorithm.HS256, null,
                Tokens.claims("a", exp == 0 ? 0 : NOW + exp, nbf == 0 ? 0 : NOW + nbf));
        JwtVerifier.Result r = verifier(leeway, k.published()).verify(token, NOW_MS);
        assertThat(r.failure()).isEqualTo(failure.isEmpty() ? null : failure);
    }

    @Test
    void expiryIsReachedAtItsSecond() throws Exception {
        Tokens.SigningKey k = Tokens.hmac(null, 256);
        String token = k.sign(JWSAlgorithm.HS256, null, Tokens.claims("a", NOW, 0));
        assertThat(verifier(0, k.published()).verify(token, NOW * 1000 - 1).passed()).isTrue();
        assertThat(verifier(0, k.published()).verify(token, NOW * 1000).passed()).isFalse();
    }

    @Test
    void timesThatAreNotNumbersFail() throws Exception {
        Tokens.SigningKey k = Tokens.hmac(null, 256);
        JwtVerifier v = verifier(0, k.published());
        assertThat(v.verify(k.sign(JWSAlgorithm.HS256, null, "{\"exp\":\"soon\"}"), NOW_MS).failure())
                .isEqualTo("the \"exp\" claim is not a number");
        assertThat(v.verify(k.sign(JWSAlgorithm.HS256, null, "{\"nbf\":true}"), NOW_MS).failure())
                .isEqualTo("the \"nbf\" claim is not a number");
    }

    @Test
    void theKidChoosesTheKeyAndAnUnknownKidFails() throws Exception {
        Tokens.SigningKey a = Tokens.rsa("a");
        Tokens.SigningKey b = Tokens.rsa("b");
        JwtVerifier v = verifier(0, a.published(), b.published());
        assertThat(v.verify(b.sign(JWSAlgorithm.RS256, "b", "{}"), NOW_MS).passed()).isTrue();
        assertThat(v.verify(b.sign(JWSAlgorithm.RS256, null, "{}"), NOW_MS).passed()).as("no kid: every key").isTrue();
        assertThat(v.verify(b.sign(JWSAlgorithm.RS256, "a", "{}"), NOW_MS).failure())
                .isEqualTo("signature verification failed");
        assertThat(v.verify(b.sign(JWSAlgorithm.RS256, "c", "{}"), NOW_MS).failure())
                .isEqualTo("no key with kid \"c\" for algorithm RS256");
    }

    @Test
    void noneAndUnlistedAlgorithmsAreRefused() throws Exception {
        Tokens.SigningKey k = Tokens.hmac(null, 256);
        JwtVerifier v = verifier(0, k.published());
        assertThat(v.verify(Tokens.unsigned("{\"sub\":\"a\"}"), NOW_MS).passed()).isFalse();
        // secp256k1 is gone from the JDK: the algorithm is refused before any signature is looked at
        String es256k = Tokens.compact(new JWSHeader(JWSAlgorithm.ES256K), "{}", input -> new byte[64]);
        assertThat(v.verify(es256k, NOW_MS).failure()).isEqualTo("unsupported algorithm \"ES256K\"");
    }

    @Test
    void anRsaPublicKeyIsNoHmacSecret() throws Exception {
        Tokens.SigningKey rsa = Tokens.rsa(null);
        // the classic forgery: HS256 keyed with the bytes of the public key the server holds
        byte[] secret = ((RSAKey) rsa.published()).toPublicKey().getEncoded();
        String token = Tokens.compact(new JWSHeader(JWSAlgorithm.HS256), "{\"sub\":\"admin\"}", input -> {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            return m.doFinal(input);
        });
        assertThat(verifier(0, rsa.published()).verify(token, NOW_MS).failure())
                .isEqualTo("no key for algorithm HS256");
    }

    @Test
    void aKeyWithAnAlgOrForEncryptionOnlyChecksWhatItIsFor() throws Exception {
        Tokens.SigningKey k = Tokens.rsa("r");
        JWK rs256Only = new RSAKey.Builder((RSAKey) k.published()).algorithm(JWSAlgorithm.RS256).build();
        JwtVerifier v = verifier(0, rs256Only);
        assertThat(v.verify(k.sign(JWSAlgorithm.RS256, "r", "{}"), NOW_MS).passed()).isTrue();
        assertThat(v.verify(k.sign(JWSAlgorithm.PS256, "r", "{}"), NOW_MS).passed()).isFalse();
        JWK forEncryption = new RSAKey.Builder((RSAKey) k.published())
                .keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).build();
        assertThat(JwtKey.of(forEncryption)).isNull();
    }

    @Test
    void malformedTokensAndNonObjectPayloadsFail() throws Exception {
        Tokens.SigningKey k = Tokens.hmac(null, 256);
        JwtVerifier v = verifier(0, k.published());
        for (String bad : List.of("abc", "a.b.c", "a.b", "..", Tokens.b64("{\"alg\":\"HS256\"}") + ".e30")) {
            assertThat(v.verify(bad, NOW_MS).passed()).as(bad).isFalse();
        }
        assertThat(v.verify(k.sign(JWSAlgorithm.HS256, null, "[1,2]"), NOW_MS).failure())
                .isEqualTo("the payload is not a JSON object");
        assertThat(v.verify(k.sign(JWSAlgorithm.HS256, null, "{\"a\":1,\"a\":2}"), NOW_MS).passed())
                .as("a claim given twice").isFalse();
    }

    @Test
    void criticalHeaderParametersAreNotUnderstood() throws Exception {
        Tokens.SigningKey k = Tokens.hmac(null, 256);
        JWSHeader h = new JWSHeader.Builder(JWSAlgorithm.HS256).criticalParams(Set.of("exp"))
                .customParam("exp", 1).build();
        String token = k.signer().sign(h, "{}");
        assertThat(verifier(0, k.published()).verify(token, NOW_MS).failure())
                .startsWith("unsupported critical header parameters");
    }

    @Test
    void noKeysRejectEveryToken() throws Exception {
        Tokens.SigningKey k = Tokens.hmac(null, 256);
        assertThat(verifier(0).verify(k.sign(JWSAlgorithm.HS256, null, "{}"), NOW_MS).failure())
                .isEqualTo("no key for algorithm HS256");
    }
}
