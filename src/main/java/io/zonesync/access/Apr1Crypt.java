package io.zonesync.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Apache's {@code $apr1$} password hash: Poul-Henning Kamp's MD5-based crypt with Apache's magic. */
final class Apr1Crypt {
    private static final String ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String MAGIC = "$apr1$";

    private Apr1Crypt() {
    }

    static boolean matches(String password, String hash) {
        if (!hash.startsWith(MAGIC)) {
            return false;
        }
        int end = hash.indexOf('$', MAGIC.length());
        if (end < 0) {
            return false;
        }
        String salt = hash.substring(MAGIC.length(), Math.min(end, MAGIC.length() + 8));
        return MessageDigest.isEqual(crypt(password, salt).getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII));
    }

    static String crypt(String password, String salt) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] s = salt.getBytes(StandardCharsets.US_ASCII);
        MessageDigest md = md5();
        md.update(pw);
        md.update(MAGIC.getBytes(StandardCharsets.US_ASCII));
        md.update(s);
        MessageDigest alt = md5();
        alt.update(pw);
        alt.update(s);
        alt.update(pw);
        byte[] altResult = alt.digest();
        for (int left = pw.length; left > 0; left -= 16) {
            md.update(altResult, 0, Math.min(16, left));
        }
        for (int i = pw.length; i != 0; i >>>= 1) {
            if ((i & 1) != 0) {
                md.update((byte) 0);
            } else {
                md.update(pw.length > 0 ? pw[0] : 0);
            }
        }
        byte[] fin = md.digest();
        for (int i = 0; i < 1000; i++) {
            MessageDigest r = md5();
            r.update((i & 1) != 0 ? pw : fin);
            if (i % 3 != 0) {
                r.update(s);
            }
            if (i % 7 != 0) {
                r.update(pw);
            }
            r.update((i & 1) != 0 ? fin : pw);
            fin = r.digest();
        }
        StringBuilder out = new StringBuilder(MAGIC).append(salt).append('$');
        int[][] groups = {{0, 6, 12}, {1, 7, 13}, {2, 8, 14}, {3, 9, 15}, {4, 10, 5}};
        for (int[] g : groups) {
            to64(out, ((fin[g[0]] & 0xff) << 16) | ((fin[g[1]] & 0xff) << 8) | (fin[g[2]] & 0xff), 4);
        }
        to64(out, fin[11] & 0xff, 2);
        return out.toString();
    }

    private static void to64(StringBuilder out, int v, int n) {
        for (int i = 0; i < n; i++) {
            out.append(ITOA64.charAt(v & 0x3f));
            v >>>= 6;
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from the runtime", e);
        }
    }
}
