package io.zonesync.http.sticky;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A session as the zone keys it: the 16-byte MD5 of the session id. Immutable, compared by value. */
public final class SessionKey {
    public static final int LENGTH = 16;
    private final byte[] md5;
    private final int hash;

    private SessionKey(byte[] md5) {
        this.md5 = md5;
        this.hash = Arrays.hashCode(md5);
    }

    /**
     * One MD5 per thread, reused: looking the algorithm up through the security providers cost more
     * than hashing a session id, twice per proxied request.
     */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    });

    public static SessionKey of(String sessionId) {
        return new SessionKey(MD5.get().digest(sessionId.getBytes(StandardCharsets.UTF_8)));
    }

    /** A key received from a peer; null unless it is exactly 16 bytes. */
    public static SessionKey fromBytes(byte[] bytes) {
        return bytes.length == LENGTH ? new SessionKey(bytes.clone()) : null;
    }

    public byte[] bytes() {
        return md5.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey k && Arrays.equals(md5, k.md5);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(md5);
    }
}
