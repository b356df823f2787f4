package io.zonesync.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.apache.commons.codec.digest.Crypt;
import org.apache.commons.codec.digest.Md5Crypt;

/**
 * The crypt(3) schemes of password files, checked with Apache Commons Codec's implementations
 * ({@code Md5Crypt} for {@code $apr1$} and {@code $1$}, {@code Crypt} for {@code $5$}, {@code $6$}
 * and DES) rather than our own, and {@code {SSHA}} (base64 of SHA-1 of the password and a salt,
 * then the salt).
 */
final class CryptSchemes {
    private CryptSchemes() {
    }

    /** Whether {@code password} hashes to {@code hash} with the salt and scheme {@code hash} carries. */
    static boolean matches(String password, String hash) {
        try {
            String again = hash.startsWith("$apr1$") ? Md5Crypt.apr1Crypt(password.getBytes(StandardCharsets.UTF_8), hash)
                    : Crypt.crypt(password.getBytes(StandardCharsets.UTF_8), hash);
            return MessageDigest.isEqual(again.getBytes(StandardCharsets.US_ASCII),
                    hash.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    static boolean matchesSsha(String password, String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (decoded.length <= 20) {
            return false;
        }
        byte[] digest = Arrays.copyOfRange(decoded, 0, 20);
        byte[] salt = Arrays.copyOfRange(decoded, 20, decoded.length);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-1");
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            sha.update(salt);
            return MessageDigest.isEqual(sha.digest(), digest);
        } catch (NoSuchAlgorithmException e) {
            return false;
        }
    }
}
