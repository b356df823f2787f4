package io.zonesync.http.core;

/**
 * Turns the path of a request target into nginx's {@code $uri}: percent-decoded, with {@code //}
 * merged and {@code .} and {@code ..} segments resolved. The result holds bytes as chars
 * (ISO-8859-1), as nginx's URIs are bytes. A path that is not absolute, has a bad escape, a NUL
 * byte, or climbs above the root is invalid (nginx answers 400).
 */
public final class UriPath {
    private UriPath() {
    }

    /** The normalised path, or null when the path is invalid. */
    public static String normalize(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return null;
        }
        if (isNormal(rawPath)) {
            return rawPath;
        }
        StringBuilder decoded = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                if (i + 2 >= rawPath.length()) {
                    return null;
                }
                int hi = Character.digit(rawPath.charAt(i + 1), 16);
                int lo = Character.digit(rawPath.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                c = (char) (hi * 16 + lo);
                i += 2;
            }
            if (c == 0) {
                return null;
            }
            decoded.append(c);
        }
        return resolveDots(decoded);
    }

    /**
     * Whether the path is its own normal form, as most are: no escape, no NUL, no empty segment but
     * a last one, no segment starting with a dot. Decoding it would copy it twice to give it back.
     */
    private static boolean isNormal(String rawPath) {
        int n = rawPath.length();
        for (int i = 0; i < n; i++) {
            char c = rawPath.charAt(i);
            if (c == '%' || c == 0) {
                return false;
            }
            if (c == '/' && i + 1 < n && (rawPath.charAt(i + 1) == '/' || rawPath.charAt(i + 1) == '.')) {
                return false;
            }
        }
        return true;
    }

    private static String resolveDots(CharSequence path) {
        StringBuilder out = new StringBuilder(path.length());
        int i = 0;
        int n = path.length();
        while (i < n) {
            // at a '/'
            int j = i + 1;
            while (j < n && path.charAt(j) != '/') {
                j++;
            }
            String segment = path.subSequence(i + 1, j).toString();
            boolean last = j >= n;
            if (segment.isEmpty()) {
                if (last) {
                    out.append('/');
                }
            } else if (segment.equals(".")) {
                if (last) {
                    out.append('/');
                }
            } else if (segment.equals("..")) {
                int cut = out.lastIndexOf("/");
                if (cut < 0) {
                    return null;
                }
                out.setLength(cut);
                if (last) {
                    out.append('/');
                }
            } else {
                out.append('/').append(segment);
            }
            i = j;
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
