package io.zonesync.stream.core;

import io.zonesync.Version;
import io.zonesync.net.AddressText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The variables of nginx's stream core and upstream modules: the connection's addresses, its
 * counters and times, and what the proxy recorded of its upstream attempts (several attempts are
 * listed with {@code ", "}, as nginx lists them).
 */
final class StreamCoreVariables {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
            Locale.ROOT);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx",
            Locale.ROOT);
    private static final String HOSTNAME = hostname();
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    private StreamCoreVariables() {
    }

    static void define(StreamVariables v) {
        v.define("remote_addr", s -> host(s.remoteAddress()));
        v.define("remote_port", s -> port(s.remoteAddress()));
        v.define("binary_remote_addr", s -> s.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? new String(a.getAddress().getAddress(), StandardCharsets.ISO_8859_1) : null);
        v.define("server_addr", s -> host(s.localAddress()));
        v.define("server_port", s -> port(s.localAddress()));
        v.define("proxy_protocol_addr", s -> s.proxyHeader() == null ? "" : s.proxyHeader().sourceAddress());
        v.define("proxy_protocol_port", s -> s.proxyHeader() == null ? ""
                : Integer.toString(s.proxyHeader().sourcePort()));
        v.define("proxy_protocol_server_addr", s -> s.proxyHeader() == null ? ""
                : s.proxyHeader().destinationAddress());
        v.define("proxy_protocol_server_port", s -> s.proxyHeader() == null ? ""
                : Integer.toString(s.proxyHeader().destinationPort()));
        v.define("bytes_sent", s -> Long.toString(s.bytesSent()));
        v.define("bytes_received", s -> Long.toString(s.bytesReceived()));
        v.define("connection", s -> Long.toString(s.number()));
        v.define("hostname", s -> HOSTNAME);
        v.define("pid", s -> PID);
        v.define("nginx_version", s -> Version.NUMBER);
        v.define("protocol", s -> s.isUdp() ? "UDP" : "TCP");
        v.define("status", s -> String.format(Locale.ROOT, "%03d", s.status()));
        v.define("msec", s -> seconds(s.clock().millis()));
        v.define("session_time", s -> seconds(s.elapsedMs()));
        v.define("time_local", s -> LOCAL.format(now(s)));
        v.define("time_iso8601", s -> ISO.format(now(s)));
        v.define("upstream_addr", s -> list(s, UpstreamAttempt::address));
        v.define("upstream_bytes_sent", s -> numbers(s, UpstreamAttempt::sent));
        v.define("upstream_bytes_received", s -> numbers(s, UpstreamAttempt::received));
        v.define("upstream_connect_time", s -> list(s, a -> a.connectMs() < 0 ? "-" : seconds(a.connectMs())));
        v.define("upstream_first_byte_time", s -> list(s, a -> a.firstByteMs() < 0 ? "-" : seconds(a.firstByteMs())));
        v.define("upstream_session_time", s -> list(s, a -> seconds(a.elapsedMs())));
    }

    private static ZonedDateTime now(StreamSession s) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(s.clock().millis()), ZoneId.systemDefault());
    }

    /** Milliseconds as nginx prints times: seconds with three decimals. */
    static String seconds(long ms) {
        return ms / 1000 + "." + String.format(Locale.ROOT, "%03d", ms % 1000);
    }

    private static String list(StreamSession s, Function<UpstreamAttempt, String> f) {
        if (s.upstreams().isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (UpstreamAttempt a : s.upstreams()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(f.apply(a));
        }
        return sb.toString();
    }

    private static String numbers(StreamSession s, ToLongFunction<UpstreamAttempt> f) {
        return list(s, a -> Long.toString(f.applyAsLong(a)));
    }

    private static String host(SocketAddress a) {
        if (a instanceof InetSocketAddress inet) {
            return inet.getAddress() == null ? inet.getHostString() : AddressText.ip(inet.getAddress());
        }
        return a == null ? null : "unix:";
    }

    private static String port(SocketAddress a) {
        return a instanceof InetSocketAddress inet ? Integer.toString(inet.getPort()) : "";
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
