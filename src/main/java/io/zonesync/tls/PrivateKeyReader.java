package io.zonesync.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The private key of a PEM file, in the forms OpenSSL writes: PKCS#8 ({@code PRIVATE KEY}),
 * encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, PBES2 or PBES1), PKCS#1 ({@code RSA PRIVATE
 * KEY}) and SEC1 ({@code EC PRIVATE KEY}), the last two also with the legacy {@code Proc-Type: 4,ENCRYPTED}
 * header (AES-CBC or DES-EDE3-CBC, key from OpenSSL's EVP_BytesToKey with MD5). An encrypted key
 * is tried with each passphrase in turn, as nginx's {@code ssl_password_file}.
 */
final class PrivateKeyReader {
    /** PBES2, 1.2.840.113549.1.5.13. */
    private static final String PBES2 = "1.2.840.113549.1.5.13";

    private PrivateKeyReader() {
    }

    /** Why a key could not be read, in words for an operator. */
    static final class KeyException extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean wrongPassphrase;

        KeyException(String message, boolean wrongPassphrase) {
            super(message);
            this.wrongPassphrase = wrongPassphrase;
        }
    }

    static PrivateKey read(PemBlock block, List<char[]> passphrases) throws KeyException {
        switch (block.type()) {
            case "PRIVATE KEY" -> {
                return fromPkcs8(block.der());
            }
            case "ENCRYPTED PRIVATE KEY" -> {
                requirePassphrases(passphrases);
                for (char[] p : passphrases) {
                    byte[] plain = decryptPkcs8(block.der(), p);
                    if (plain != null) {
                        return fromPkcs8(plain);
                    }
                }
                throw new KeyException("no passphrase unlocks the key", true);
            }
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                boolean rsa = block.type().startsWith("RSA");
                if (!block.headers().getOrDefault("Proc-Type", "").contains("ENCRYPTED")) {
                    return fromPkcs8(rsa ? Der.rsaToPkcs8(block.der()) : Der.ecToPkcs8(block.der()));
                }
                requirePassphrases(passphrases);
                for (char[] p : passphrases) {
                    byte[] plain = decryptLegacy(block, p);
                    if (plain != null) {
                        try {
                            return fromPkcs8(rsa ? Der.rsaToPkcs8(plain) : Der.ecToPkcs8(plain));
                        } catch (KeyException | IllegalArgumentException e) {
                            // padding happened to check out with a wrong passphrase: try the next
                        }
                    }
                }
                throw new KeyException("no passphrase unlocks the key", true);
            }
            default -> throw new KeyException("\"" + block.type() + "\" keys are not supported", false);
        }
    }

    private static void requirePassphrases(List<char[]> passphrases) throws KeyException {
        if (passphrases.isEmpty()) {
            throw new KeyException("the key is encrypted and no ssl_password_file is given", true);
        }
    }

    static PrivateKey fromPkcs8(byte[] pkcs8) throws KeyException {
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm
            }
        }
        throw new KeyException("the key is not an RSA, EC or Ed25519 key this runtime can read", false);
    }

    /** The PKCS#8 bytes, or null when this passphrase does not decrypt them. */
    private static byte[] decryptPkcs8(byte[] der, char[] passphrase) throws KeyException {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            throw new KeyException("the encrypted key is malformed: " + e.getMessage(), false);
        }
        String alg = info.getAlgName();
        if (alg.equals(PBES2) || alg.equalsIgnoreCase("PBES2")) {
            alg = info.getAlgParameters().toString(); // e.g. PBEWithHmacSHA256AndAES_256
        }
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance(alg);
            Cipher c = Cipher.getInstance(alg);
            c.init(Cipher.DECRYPT_MODE, f.generateSecret(new PBEKeySpec(passphrase)), info.getAlgParameters());
            return info.getKeySpec(c).getEncoded();
        } catch (NoSuchAlgorithmException e) {
            throw new KeyException("the key is encrypted with " + alg + ", which this runtime cannot decrypt", false);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static byte[] decryptLegacy(PemBlock block, char[] passphrase) throws KeyException {
        String[] dek = block.headers().getOrDefault("DEK-Info", "").split(",");
        if (dek.length != 2) {
            throw new KeyException("the encrypted key has no DEK-Info header", false);
        }
        String cipherName = dek[0].trim().toUpperCase();
        byte[] iv = HexFormat.of().parseHex(dek[1].trim());
        String transform;
        String keyAlg;
        int keyLen;
        switch (cipherName) {
            case "AES-128-CBC" -> { transform = "AES/CBC/PKCS5Padding"; keyAlg = "AES"; keyLen = 16; }
            case "AES-192-CBC" -> { transform = "AES/CBC/PKCS5Padding"; keyAlg = "AES"; keyLen = 24; }
            case "AES-256-CBC" -> { transform = "AES/CBC/PKCS5Padding"; keyAlg = "AES"; keyLen = 32; }
            case "DES-EDE3-CBC" -> { transform = "DESede/CBC/PKCS5Padding"; keyAlg = "DESede"; keyLen = 24; }
            default -> throw new KeyException("the key is encrypted with " + cipherName + ", which is not supported;"
                    + " convert it with \"openssl pkcs8 -topk8\"", false);
        }
        byte[] key = bytesToKey(new String(passphrase).getBytes(StandardCharsets.UTF_8),
                Arrays.copyOf(iv, 8), keyLen);
        try {
            Cipher c = Cipher.getInstance(transform);
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, keyAlg), new IvParameterSpec(iv));
            return c.doFinal(block.der());
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** OpenSSL's EVP_BytesToKey with MD5 and one round: D_i = MD5(D_{i-1} || pass || salt). */
    private static byte[] bytesToKey(byte[] pass, byte[] salt, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] out = new byte[length];
            byte[] prev = new byte[0];
            int filled = 0;
            while (filled < length) {
                md5.update(prev);
                md5.update(pass);
                md5.update(salt);
                prev = md5.digest();
                int n = Math.min(prev.length, length - filled);
                System.arraycopy(prev, 0, out, filled, n);
                filled += n;
            }
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from the runtime", e);
        }
    }
}
