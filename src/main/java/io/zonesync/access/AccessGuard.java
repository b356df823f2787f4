package io.zonesync.access;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules one request meets: allow/deny, then basic authentication when a realm and a user file
 * are set. Remembers recent successful logins (by a hash of the password) so that a client sending
 * the same credentials on every API call pays for bcrypt once per configuration.
 */
final class AccessGuard {
    private static final int REMEMBERED = 1024;

    final AccessRules rules;
    final String realm;
    final Htpasswd users;
    final Path userFile;
    private final Map<String, Boolean> recent = new ConcurrentHashMap<>();

    AccessGuard(AccessRules rules, String realm, Htpasswd users, Path userFile) {
        this.rules = rules;
        this.realm = realm;
        this.users = users;
        this.userFile = userFile;
    }

    boolean isOpen() {
        return rules.isEmpty() && realm == null;
    }

    boolean authenticates() {
        return realm != null;
    }

    boolean rememberedLogin(String user, String password) {
        return recent.containsKey(key(user, password));
    }

    /** Checks the password (slow for bcrypt) and remembers a success. */
    boolean login(String user, String password) {
        boolean ok = users.check(user, password);
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
