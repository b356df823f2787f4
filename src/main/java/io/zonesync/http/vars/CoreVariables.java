package io.zonesync.http.vars;

import io.zonesync.Version;
import io.zonesync.net.AddressText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * nginx's built-in request variables. Values follow nginx: raw (not percent-decoded) arguments and
 * cookies, header values joined with {@code ", "} ({@code "; "} for Cookie) when a header repeats,
 * binary addresses as one char per byte (ISO-8859-1), {@code unix:} as the address of a unix socket
 * peer.
 */
public final class CoreVariables implements VariableProvider {
    /** Reported as {@code $nginx_version}: the zonesync version. */
    public static final String VERSION = Version.NUMBER;

    private static final DateTimeFormatter TIME_LOCAL =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final DateTimeFormatter TIME_ISO8601 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);

    private final ZoneId zone;

    public CoreVariables() {
        this(ZoneId.systemDefault());
    }

    /** With the time zone {@code $time_local} and {@code $time_iso8601} are written in. */
    public CoreVariables(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public void defineVariables(VariableRegistry r) {
        r.define("remote_addr", req -> addressText(req.remoteAddress()));
        r.define("binary_remote_addr", req -> binaryAddress(req.remoteAddress()));
        r.define("remote_port", req -> portText(req.remoteAddress()));
        r.define("server_addr", req -> addressText(req.localAddress()));
        r.define("server_port", req -> portText(req.localAddress()));
        r.define("remote_user", CoreVariables::remoteUser);
        r.define("args", RequestView::args);
        r.define("query_string", RequestView::args);
        r.define("is_args", req -> req.args() == null || req.args().isEmpty() ? "" : "?");
        r.define("uri", RequestView::uri);
        r.define("document_uri", RequestView::uri);
        r.define("request_uri", RequestView::requestUri);
        r.define("request", req -> req.mainMethod() + " " + req.requestUri() + " " + req.protocol());
        r.define("request_method", RequestView::mainMethod);
        r.define("request_id", RequestView::requestId);
        r.define("status", req -> String.format(Locale.ROOT, "%03d", req.status()));
        r.define("host", CoreVariables::host);
        r.define("hostname", req -> Hostname.NAME);
        r.define("server_name", RequestView::serverName);
        r.define("scheme", RequestView::scheme);
        r.define("https", req -> req.scheme().equals("https") ? "on" : "");
        r.define("server_protocol", RequestView::protocol);
        r.define("http2", RequestView::http2);
        r.define("content_length", req -> req.header("content-length"));
        r.define("content_type", req -> req.header("content-type"));
        r.define("body_bytes_sent", req -> Long.toString(req.bodyBytesSent()));
        r.define("bytes_sent", req -> Long.toString(req.bytesSent()));
        r.define("request_time", req -> seconds(Math.max(0, req.nowMillis() - req.startMillis())));
        r.define("request_length", req -> Long.toString(req.requestLength()));
        r.define("connection_time", req -> seconds(Math.max(0, req.nowMillis() - req.connectionStartMillis())));
        r.define("msec", req -> seconds(req.nowMillis()));
        r.define("time_local", req -> TIME_LOCAL.format(Instant.ofEpochMilli(req.nowMillis()).atZone(zone)));
        r.define("time_iso8601", req -> TIME_ISO8601.format(Instant.ofEpochMilli(req.nowMillis()).atZone(zone)));
        r.define("connection", req -> Long.toString(req.connectionId()));
        r.define("connection_requests", req -> Long.toString(req.connectionRequests()));
        r.define("nginx_version", req -> VERSION);
        r.define("pid", req -> Long.toString(ProcessHandle.current().pid()));
        r.definePrefix("http_", name -> {
            String header = name.replace('_', '-');
            return req -> joined(req.headers(header), header.equals("cookie") ? "; " : ", ");
        });
        r.definePrefix("sent_http_", name -> {
            String header = name.replace('_', '-');
            return req -> req.responseHeader(header);
        });
        r.definePrefix("arg_", name -> req -> argument(req.args(), name));
        r.definePrefix("cookie_", name -> req -> cookie(req.headers("cookie"), name));
        for (int i = 0; i <= 9; i++) {
            int n = i;
            r.define(Integer.toString(i), req -> req.capture(n));
        }
    }

    /** The Host header without port and trailing dot, lower-cased; else the server's name. */
    static String host(RequestView req) {
        String h = req.targetHost() != null ? req.targetHost() : req.header("host");
        if (h == null || h.isEmpty()) {
            return req.serverName();
        }
        return HostHeader.normalize(h);
    }

    /** An address as $remote_addr writes it: the IP, or {@code unix:}. */
    public static String addressText(SocketAddress a) {
        if (a instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            return ip == null ? inet.getHostString() : AddressText.ip(ip);
        }
        return "unix:";
    }

    /** A port as $remote_port writes it: empty for none (unix, or an address realip found without one). */
    public static String portText(SocketAddress a) {
        return a instanceof InetSocketAddress inet && inet.getPort() > 0 ? Integer.toString(inet.getPort()) : "";
    }

    private static String binaryAddress(SocketAddress a) {
        if (a instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return new String(inet.getAddress().getAddress(), StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    private static String remoteUser(RequestView req) {
        String auth = req.header("authorization");
        if (auth == null || auth.length() < 6 || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /** Milliseconds as nginx writes seconds: {@code 1.005}. */
    static String seconds(long millis) {
        return (millis / 1000) + "." + String.format(Locale.ROOT, "%03d", millis % 1000);
    }

    private static String joined(List<String> values, String separator) {
        if (values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(separator, values);
    }

    /** The raw value of {@code name} in a query string (name compared ignoring case), or null. */
    static String argument(String args, String name) {
        if (args == null) {
            return null;
        }
        int start = 0;
        while (start <= args.length()) {
            int end = args.indexOf('&', start);
            if (end < 0) {
                end = args.length();
            }
            int eq = args.indexOf('=', start);
            int nameEnd = eq >= 0 && eq < end ? eq : end;
            if (nameEnd - start == name.length() && args.regionMatches(true, start, name, 0, name.length())) {
                return nameEnd == end ? "" : args.substring(nameEnd + 1, end);
            }
            start = end + 1;
        }
        return null;
    }

    /** The value of cookie {@code name} in Cookie headers, or null. */
    static String cookie(List<String> headers, String name) {
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq == name.length() && p.regionMatches(true, 0, name, 0, eq)) {
                    return p.substring(eq + 1);
                }
            }
        }
        return null;
    }

    /** The machine's host name, as {@code $hostname}. */
    public static String hostname() {
        return Hostname.NAME;
    }


    /** The machine's name, looked up once. */
    private static final class Hostname {
        static final String NAME = lookup();

        private static String lookup() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
    }
}
