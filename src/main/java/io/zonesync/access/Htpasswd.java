package io.zonesync.access;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One version of an {@code auth_basic_user_file}: {@code user:hash} lines ({@code #} comments), the
 * hash in any scheme nginx accepts from such a file: bcrypt ({@code $2y$}, {@code $2a$}, {@code $2b$}),
 * Apache MD5 ({@code $apr1$}), MD5-crypt ({@code $1$}), SHA-crypt ({@code $5$}, {@code $6$}),
 * traditional DES crypt, {@code {SHA}} (base64 SHA-1), {@code {SSHA}} (salted) or {@code {PLAIN}}.
 * A line with a hash it cannot check (an unknown scheme, bcrypt of a cost out of range) is logged
 * when the file is read and that user cannot log in. Remembers recent successful logins (by a hash
 * of the password) so that a client sending the same credentials on every call pays for bcrypt
 * once per version of the file.
 */
final class Htpasswd {
    private static final Logger LOG = LoggerFactory.getLogger(Htpasswd.class);
    private static final int REMEMBERED = 1024;

    private final Map<String, String> hashes;
    private final Map<String, Boolean> recent = new ConcurrentHashMap<>();

    private Htpasswd(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    static Htpasswd parse(Path file, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\\r?\\n")) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                LOG.warn("{}:{}: not a \"user:hash\" line; ignored", file, lineNo);
                continue;
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            int extra = hash.indexOf(':');
            if (extra >= 0) {
                hash = hash.substring(0, extra); // htpasswd allows a comment field after the hash
            }
            if (!supported(hash)) {
                LOG.warn("{}:{}: the password hash of user \"{}\" uses a scheme this node cannot check (bcrypt with"
                        + " cost 4..{}, $apr1$, $1$, $5$, $6$, DES crypt, {{SHA}}, {{SSHA}} and {{PLAIN}} are supported);"
                        + " that user cannot log in", file, lineNo, user, Bcrypt.MAX_COST);
            }
            out.putIfAbsent(user, hash);
        }
        return new Htpasswd(out);
    }

    private static boolean supported(String hash) {
        if (hash.startsWith("$2")) {
            return Bcrypt.cost(hash) >= 4 && Bcrypt.cost(hash) <= Bcrypt.MAX_COST;
        }
        return hash.startsWith("$apr1$") || hash.startsWith("$1$") || hash.startsWith("$5$") || hash.startsWith("$6$")
                || hash.startsWith("{SHA}") || hash.startsWith("{SSHA}") || hash.startsWith("{PLAIN}") || isDes(hash);
    }

    /** Traditional DES crypt: 13 characters of [./0-9A-Za-z], the first two the salt. */
    private static boolean isDes(String hash) {
        return hash.length() == 13 && hash.chars().allMatch(c -> c == '.' || c == '/' || Character.isLetterOrDigit(c));
    }

    boolean hasUser(String user) {
        return hashes.containsKey(user);
    }

    /** Whether this is the user's password; bcrypt costs milliseconds per check, so call it off the event loop. */
    boolean check(String user, String password) {
        String hash = hashes.get(user);
        if (hash == null) {
            return false;
        }
        if (hash.startsWith("$2")) {
            return Bcrypt.matches(password, hash);
        }
        if (hash.startsWith("$apr1$") || hash.startsWith("$1$") || hash.startsWith("$5$") || hash.startsWith("$6$")
                || isDes(hash)) {
            return CryptSchemes.matches(password, hash);
        }
        if (hash.startsWith("{SSHA}")) {
            return CryptSchemes.matchesSsha(password, hash.substring(6));
        }
        if (hash.startsWith("{SHA}")) {
            try {
                byte[] sha = MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
                return MessageDigest.isEqual(Base64.getEncoder().encodeToString(sha)
                        .getBytes(StandardCharsets.US_ASCII), hash.substring(5).getBytes(StandardCharsets.US_ASCII));
            } catch (NoSuchAlgorithmException e) {
                return false;
            }
        }
        if (hash.startsWith("{PLAIN}")) {
            return MessageDigest.isEqual(hash.substring(7).getBytes(StandardCharsets.UTF_8),
                    password.getBytes(StandardCharsets.UTF_8));
        }
        return false;
    }

    /** Whether checking this user's password is slow enough to belong off the event loop. */
    boolean isSlow(String user) {
        String h = hashes.get(user);
        return h != null && h.startsWith("$2");
    }

    boolean rememberedLogin(String user, String password) {
        return recent.containsKey(key(user, password));
    }

    /** Checks the password (slow for bcrypt) and remembers a success. */
    boolean login(String user, String password) {
        boolean ok = check(user, password);
        if (ok) {
            if (recent.size() >= REMEMBERED) {
                recent.clear();
            }
            recent.put(key(user, password), Boolean.TRUE);
        }
        return ok;
    }

    private static String key(String user, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
