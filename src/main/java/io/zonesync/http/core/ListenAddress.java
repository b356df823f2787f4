package io.zonesync.http.core;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.net.AddressText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@code listen} directive binds: {@code unix:/path}, or an IP (null meaning every IPv4
 * address, as nginx's {@code listen 80}) and a port. Two listen directives that spell the same
 * address the same way share one socket; {@link #key()} is that identity, kept across reloads.
 * Port 0 asks for an ephemeral port (tests); the bound port is read back from the runtime.
 */
public final class ListenAddress {
    private final InetAddress ip;
    private final int port;
    private final Path unixPath;

    private ListenAddress(InetAddress ip, int port, Path unixPath) {
        this.ip = ip;
        this.port = port;
        this.unixPath = unixPath;
    }

    public static ListenAddress inet(InetAddress ip, int port) {
        return new ListenAddress(ip, port, null);
    }

    public static ListenAddress unix(Path path) {
        return new ListenAddress(null, 0, path);
    }

    /**
     * Parses nginx's forms: {@code 8080}, {@code 127.0.0.1}, {@code 127.0.0.1:8080}, {@code *:8080},
     * {@code [::1]:8080}, {@code [::]}, {@code localhost:8080}, {@code unix:/run/z.sock}. A missing
     * port is 80.
     */
    public static ListenAddress parse(Directive d, String text) throws ConfigException {
        if (text.startsWith("unix:")) {
            String path = text.substring(5);
            if (path.isEmpty()) {
                throw d.error("no path in the unix domain socket \"%s\" of the \"listen\" directive", text);
            }
            return unix(Path.of(path));
        }
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw d.error("invalid IPv6 address in \"%s\" of the \"listen\" directive", text);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw d.error("invalid IPv6 address in \"%s\" of the \"listen\" directive", text);
            }
            portText = rest.isEmpty() ? null : rest.substring(1);
            if (host.isEmpty() || !host.contains(":")) {
                throw d.error("invalid IPv6 address in \"%s\" of the \"listen\" directive", text);
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0) {
                host = text.substring(0, colon);
                portText = text.substring(colon + 1);
            } else if (isDigits(text)) {
                host = "*";
                portText = text;
            } else {
                host = text;
                portText = null;
            }
        }
        int port = 80;
        if (portText != null) {
            port = isDigits(portText) && portText.length() <= 5 ? Integer.parseInt(portText) : -1;
            if (port < 0 || port > 65535) {
                throw d.error("invalid port in \"%s\" of the \"listen\" directive, it must be 0..65535", text);
            }
        }
        if (host.equals("*") || host.isEmpty()) {
            return inet(null, port);
        }
        try {
            return inet(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw d.error("host not found in \"%s\" of the \"listen\" directive", text);
        }
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public boolean isUnix() {
        return unixPath != null;
    }

    /** Every address of the family (0.0.0.0 or ::). */
    public boolean isWildcard() {
        return unixPath == null && (ip == null || ip.isAnyLocalAddress());
    }

    public int port() {
        return port;
    }

    public Path unixPath() {
        return unixPath;
    }

    /** The address to bind. */
    public SocketAddress socketAddress() {
        if (unixPath != null) {
            throw new IllegalStateException("a unix socket is bound through the transport");
        }
        return ip == null ? new InetSocketAddress(port) : new InetSocketAddress(ip, port);
    }

    /** The IP to bind, 0.0.0.0 for a wildcard without one. */
    public InetAddress ip() {
        if (ip != null) {
            return ip;
        }
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** How nginx prints the address: {@code 127.0.0.1:8080}, {@code 0.0.0.0:80}, {@code [::1]:80}, {@code unix:/p}. */
    public String key() {
        if (unixPath != null) {
            return "unix:" + unixPath;
        }
        return AddressText.hostPort(new InetSocketAddress(ip(), port));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListenAddress other && key().equals(other.key());
    }

    @Override
    public int hashCode() {
        return Objects.hash(key());
    }

    @Override
    public String toString() {
        return key();
    }
}
