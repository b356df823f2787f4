package io.zonesync.tls;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/**
 * That a private key belongs to its certificate, checked when the configuration is read, as
 * nginx's {@code SSL_CTX_use_PrivateKey} does ("key values mismatch"): a mismatched pair would
 * otherwise load, pass {@code -t} and a reload, and fail every handshake afterwards. The key signs
 * a probe and the certificate's public key must verify it.
 */
final class KeyPairCheck {
    private static final byte[] PROBE = "zonesync certificate key check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairCheck() {
    }

    static void require(Directive certDirective, X509Certificate cert, Directive keyDirective, PrivateKey key)
            throws ConfigException {
        PublicKey pub = cert.getPublicKey();
        if (!pub.getAlgorithm().equals(key.getAlgorithm())) {
            throw keyDirective.error("certificate key \"%s\" (%s) does not belong to certificate \"%s\" (%s)",
                    keyDirective.arg(0), key.getAlgorithm(), certDirective.arg(0), pub.getAlgorithm());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null; // a kind we cannot sign with here; BoringSSL still checks at the handshake
        };
        if (algorithm == null) {
            return;
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(PROBE);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            throw keyDirective.error("cannot check certificate key \"%s\" against certificate \"%s\": %s",
                    keyDirective.arg(0), certDirective.arg(0), e.getMessage());
        }
        throw keyDirective.error("certificate key \"%s\" does not match certificate \"%s\" (key values mismatch)",
                keyDirective.arg(0), certDirective.arg(0));
    }
}
