package io.zonesync.http.proxycache;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The secondary key of a response with {@code Vary}, as nginx's: an MD5 of the primary key's hash
 * and, for each header name the Vary value lists, the name and the request's values of that header
 * (all its lines, the words between commas and spaces joined by commas). Two requests share a
 * variant when those headers agree; the entry of another variant is kept in the file of this hash.
 */
final class Variant {
    /** nginx keeps a Vary value up to this long; a longer one makes the response uncacheable. */
    static final int MAX_VARY = 128;

    private Variant() {
    }

    /** The variant of {@code request} for the response with Vary {@code vary}, the primary key's hash being {@code hash}. */
    static String of(String hash, String vary, HttpHeaders request) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md5.update(HexFormat.of().parseHex(hash));
        for (String name : words(vary.toLowerCase(Locale.ROOT))) {
            md5.update(name.getBytes(StandardCharsets.ISO_8859_1));
            md5.update((byte) ':');
            StringBuilder values = new StringBuilder();
            for (String line : request.getAll(name)) {
                for (String w : words(line)) {
                    if (values.length() > 0) {
                        values.append(',');
                    }
                    values.append(w);
                }
            }
            md5.update(values.toString().getBytes(StandardCharsets.ISO_8859_1));
            md5.update(new byte[] {'\r', '\n'});
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /** Whether a response with this Vary may be cached: not {@code *}, not longer than nginx keeps. */
    static boolean cacheable(String vary) {
        return vary.length() <= MAX_VARY && !vary.equals("*");
    }

    private static String[] words(String s) {
        String t = s.replaceAll("^[ ,]+|[ ,]+$", "");
        return t.isEmpty() ? new String[0] : t.split("[ ,]+");
    }
}
