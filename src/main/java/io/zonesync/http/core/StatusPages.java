package io.zonesync.http.core;

import java.nio.charset.StandardCharsets;

/**
 * Status lines and the small HTML pages nginx answers errors and redirects with, signed
 * {@code zonesync/VERSION}, or {@code zonesync} where {@code server_tokens} is off. A code without a
 * known text gets an empty reason and no page.
 */
public final class StatusPages {
    private StatusPages() {
    }

    /** The reason phrase nginx uses for a code, "" when it has none. */
    public static String reason(int code) {
        return switch (code) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Moved Temporarily";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Time-out";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Large";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Requested Range Not Satisfiable";
            case 421 -> "Misdirected Request";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Temporarily Unavailable";
            case 504 -> "Gateway Time-out";
            case 505 -> "HTTP Version Not Supported";
            case 507 -> "Insufficient Storage";
            default -> "";
        };
    }

    /** The page title, which for a few codes differs from the status line. */
    private static String title(int code) {
        return switch (code) {
            case 302 -> "302 Found";
            case 401 -> "401 Authorization Required";
            default -> code + " " + reason(code);
        };
    }

    /** Whether nginx sends a page for this code (3xx redirects, 4xx and 5xx it knows). */
    public static boolean hasPage(int code) {
        return code >= 301 && code != 304 && !reason(code).isEmpty();
    }

    /** The page for a code, or an empty array; {@code serverTokens} signs it with the version. */
    public static byte[] page(int code, boolean serverTokens) {
        if (!hasPage(code)) {
            return new byte[0];
        }
        return page(title(code), title(code), null, serverTokens);
    }

    /** A page whose title names the precise trouble under the code's heading, as nginx's 400 pages do. */
    static byte[] page(int code, String detail, boolean serverTokens) {
        return page(code + " " + detail, title(code), detail, serverTokens);
    }

    private static byte[] page(String title, String heading, String detail, boolean serverTokens) {
        String html = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + heading
                + "</h1></center>\r\n" + (detail == null ? "" : "<center>" + detail + "</center>\r\n")
                + "<hr><center>" + (serverTokens ? ResponseHead.SERVER_WITH_VERSION : "zonesync")
                + "</center>\r\n</body>\r\n</html>\r\n";
        return html.getBytes(StandardCharsets.US_ASCII);
    }
}
