package io.zonesync.http.authjwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys of every family auth_jwt checks, made fresh for a test, and tokens signed with them: nimbus
 * signs HMAC (with secrets of at least 256 bits), RSA and EC; the JDK signs EdDSA and HMAC with a
 * short secret, which nimbus refuses to sign with.
 */
final class Tokens {
    private Tokens() {
    }

    /** A private key as a JWK (its public part via {@link JWK#toPublicJWK()}) and how it signs. */
    record SigningKey(JWK jwk, Signer signer) {
        /** The JWK as written in a key file: the secret for oct keys, the public part otherwise. */
        JWK published() {
            return jwk instanceof OctetSequenceKey ? jwk : jwk.toPublicJWK();
        }

        String sign(JWSAlgorithm alg, String kid, String claims) throws Exception {
            JWSHeader.Builder h = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT);
            if (kid != null) {
                h.keyID(kid);
            }
            return signer.sign(h.build(), claims);
        }
    }

    /** Signs a header and claims into a compact JWS. */
    @FunctionalInterface
    interface Signer {
        String sign(JWSHeader header, String claims) throws Exception;
    }

    static SigningKey hmac(String kid, int bits) throws Exception {
        OctetSequenceKey k = new OctetSequenceKeyGenerator(bits).keyID(kid).generate();
        return new SigningKey(k, nimbus(new MACSigner(k)));
    }

    /** An oct key with a secret shorter than any HMAC hash, as NGINX Plus's examples use. */
    static SigningKey shortSecret(String kid, String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        OctetSequenceKey k = new OctetSequenceKey.Builder(bytes).keyID(kid).build();
        return new SigningKey(k, (header, claims) -> {
            String mac = header.getAlgorithm().getName().replace("HS", "HmacSHA");
            return compact(header, claims, input -> {
                Mac m = Mac.getInstance(mac);
                m.init(new SecretKeySpec(bytes, mac));
                return m.doFinal(input);
            });
        });
    }

    static SigningKey rsa(String kid) throws Exception {
        RSAKey k = new RSAKeyGenerator(2048).keyID(kid).generate();
        return new SigningKey(k, nimbus(new RSASSASigner(k)));
    }

    static SigningKey ec(String kid, Curve curve) throws Exception {
        ECKey k = new ECKeyGenerator(curve).keyID(kid).generate();
        return new SigningKey(k, nimbus(new ECDSASigner(k)));
    }

    /** An Ed25519 or Ed448 key pair from the JDK, published as an OKP JWK. */
    static SigningKey edwards(String kid, Curve curve) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance(curve.getName()).generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        int length = curve.equals(Curve.Ed25519) ? 32 : 57;
        byte[] x = Arrays.copyOfRange(spki, spki.length - length, spki.length);
        OctetKeyPair jwk = new OctetKeyPair.Builder(curve, Base64URL.encode(x)).keyID(kid).build();
        PrivateKey priv = pair.getPrivate();
        return new SigningKey(jwk, (header, claims) -> compact(header, claims, input -> {
            Signature s = Signature.getInstance(curve.getName());
            s.initSign(priv);
            s.update(input);
            return s.sign();
        }));
    }

    private static Signer nimbus(JWSSigner signer) {
        return (header, claims) -> {
            JWSObject o = new JWSObject(header, new Payload(claims));
            o.sign(signer);
            return o.serialize();
        };
    }

    /** Raw bytes signed by hand. */
    @FunctionalInterface
    interface RawSign {
        byte[] sign(byte[] input) throws Exception;
    }

    static String compact(JWSHeader header, String claims, RawSign sign) throws Exception {
        String input = header.toBase64URL() + "." + Base64URL.encode(claims.getBytes(StandardCharsets.UTF_8));
        return input + "." + Base64URL.encode(sign.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Base64url of text, for tokens assembled by hand. */
    static String b64(String text) {
        return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Claims with a subject and {@code exp}, {@code nbf} (seconds since the epoch; absent when 0). */
    static String claims(String sub, long exp, long nbf) {
        StringBuilder b = new StringBuilder("{\"sub\":\"" + sub + "\"");
        if (exp != 0) {
            b.append(",\"exp\":").append(exp);
        }
        if (nbf != 0) {
            b.append(",\"nbf\":").append(nbf);
        }
        return b.append('}').toString();
    }

    /** An unsigned token ({@code alg: none}). */
    static String unsigned(String claims) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims) + ".";
    }

    static JWSAlgorithm alg(String name) {
        return JWSAlgorithm.parse(name);
    }
}
