package io.zonesync.http.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * nginx's check of an {@code X-Accel-Redirect} URI before it redirects there: not empty, not
 * starting with {@code ?}, no NUL, and no {@code ..} path segment, neither as written nor once the
 * path's percent-escapes are decoded. A URI failing it is answered 404.
 */
final class AccelRedirect {
    private AccelRedirect() {
    }

    static boolean isSafe(String uri) {
        if (uri.isEmpty() || uri.charAt(0) == '?') {
            return false;
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        return safePath(path) && (path.indexOf('%') < 0 || safePath(decode(path)));
    }

    private static boolean safePath(String path) {
        if (path.indexOf('\0') >= 0) {
            return false;
        }
        String p = "/" + path + "/";
        return !p.contains("/../");
    }

    private static String decode(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            int hi = i + 2 < path.length() ? Character.digit(path.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(path.charAt(i + 2), 16) : -1;
            if (c == '%' && lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
