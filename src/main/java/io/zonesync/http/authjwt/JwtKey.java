package io.zonesync.http.authjwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key of a JWK set, ready to check JWS signatures: which algorithms it can check (its type,
 * its curve, and its {@code alg} when the key names one) and the check itself. RSA and EC
 * signatures are checked by nimbus-jose-jwt; HMAC with the JDK (so that secrets shorter than the
 * hash, which NGINX Plus accepts, work too); EdDSA (Ed25519, Ed448) with the JDK.
 */
final class JwtKey {
    /** The JWS algorithms NGINX Plus documents, the only ones accepted. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
            JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    private static final Map<JWSAlgorithm, String> HMACS = Map.of(JWSAlgorithm.HS256, "HmacSHA256",
            JWSAlgorithm.HS384, "HmacSHA384", JWSAlgorithm.HS512, "HmacSHA512");
    /** The DER header of an X.509 SubjectPublicKeyInfo before the raw Ed25519 / Ed448 public key. */
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] ED448_SPKI = HexFormat.of().parseHex("3043300506032b6571033a00");

    /** How a key checks a signature over the signing input. */
    @FunctionalInterface
    private interface Check {
        boolean verify(JWSObject jws) throws GeneralSecurityException, JOSEException;
    }

    private final String kid;
    private final JWSAlgorithm only;
    private final Set<JWSAlgorithm> algorithms;
    private final Check check;

    private JwtKey(JWK jwk, Set<JWSAlgorithm> algorithms, Check check) {
        this.kid = jwk.getKeyID();
        this.only = jwk.getAlgorithm() == null ? null : JWSAlgorithm.parse(jwk.getAlgorithm().getName());
        this.algorithms = algorithms;
        this.check = check;
    }

    /**
     * The signature key of a JWK, or null for a key that checks no signature (one for encryption:
     * {@code "use": "enc"}, or an X25519/X448 key).
     *
     * @throws JOSEException if the key's material cannot be used
     */
    static JwtKey of(JWK jwk) throws JOSEException {
        if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
            return null;
        }
        if (jwk instanceof OctetSequenceKey oct) {
            byte[] secret = oct.toByteArray();
            if (secret.length == 0) {
                throw new JOSEException("the \"k\" of an oct key is empty");
            }
            return new JwtKey(jwk, HMACS.keySet(), jws -> hmac(jws, secret));
        }
        if (jwk instanceof RSAKey rsa) {
            JWSVerifier v = new RSASSAVerifier(rsa.toRSAPublicKey());
            return new JwtKey(jwk, Set.copyOf(v.supportedJWSAlgorithms()), jws -> jws.verify(v));
        }
        if (jwk instanceof ECKey ec) {
            JWSVerifier v = new ECDSAVerifier(ec.toECPublicKey());
            Set<JWSAlgorithm> algs = Set.copyOf(v.supportedJWSAlgorithms());
            return new JwtKey(jwk, algs, jws -> jws.verify(v));
        }
        if (jwk instanceof OctetKeyPair okp
                && (Curve.Ed25519.equals(okp.getCurve()) || Curve.Ed448.equals(okp.getCurve()))) {
            PublicKey key = edwardsKey(okp);
            String name = okp.getCurve().getName();
            return new JwtKey(jwk, Set.of(JWSAlgorithm.EdDSA), jws -> edwards(jws, name, key));
        }
        return null;
    }

    /**
     * Whether this key may check a token signed with {@code alg} carrying {@code tokenKid} (null
     * for none): the algorithm suits the key, and a {@code kid} in the token is this key's.
     */
    boolean accepts(JWSAlgorithm alg, String tokenKid) {
        return algorithms.contains(alg) && (only == null || only.equals(alg))
                && (tokenKid == null || tokenKid.equals(kid));
    }

    boolean verify(JWSObject jws) {
        try {
            return check.verify(jws);
        } catch (GeneralSecurityException | JOSEException e) {
            return false;
        }
    }

    private static boolean hmac(JWSObject jws, byte[] secret) throws GeneralSecurityException {
        String name = HMACS.get(jws.getHeader().getAlgorithm());
        Mac mac = Mac.getInstance(name);
        mac.init(new SecretKeySpec(secret, name));
        return MessageDigest.isEqual(mac.doFinal(jws.getSigningInput()), jws.getSignature().decode());
    }

    private static boolean edwards(JWSObject jws, String curve, PublicKey key) throws GeneralSecurityException {
        Signature s = Signature.getInstance(curve);
        s.initVerify(key);
        s.update(jws.getSigningInput());
        return s.verify(jws.getSignature().decode());
    }

    private static PublicKey edwardsKey(OctetKeyPair okp) throws JOSEException {
        boolean ed25519 = Curve.Ed25519.equals(okp.getCurve());
        byte[] prefix = ed25519 ? ED25519_SPKI : ED448_SPKI;
        byte[] raw = okp.getDecodedX();
        if (raw.length != (ed25519 ? 32 : 57)) {
            throw new JOSEException("the \"x\" of an " + okp.getCurve().getName() + " key has " + raw.length
                    + " bytes");
        }
        byte[] der = new byte[prefix.length + raw.length];
        System.arraycopy(prefix, 0, der, 0, prefix.length);
        System.arraycopy(raw, 0, der, prefix.length, raw.length);
        try {
            return KeyFactory.getInstance(okp.getCurve().getName()).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new JOSEException("invalid " + okp.getCurve().getName() + " key: " + e.getMessage(), e);
        }
    }
}
