package io.zonesync.net;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An address as written in a configuration: {@code host:port}, {@code [v6]:port}, a bare port
 * (with {@code portOnlyAllowed}), or {@code unix:/path}. The host is kept as written; resolving it
 * is a separate step, because a name may stand for several addresses.
 */
public record Endpoint(String host, int port, Path unixPath) {

    public Endpoint {
        if (unixPath == null) {
            Objects.requireNonNull(host, "host");
        }
    }

    public static Endpoint unix(Path path) {
        return new Endpoint(null, 0, path);
    }

    public static Endpoint inet(String host, int port) {
        return new Endpoint(host, port, null);
    }

    public boolean isUnix() {
        return unixPath != null;
    }

    /**
     * Parses {@code text}. A missing port is {@link ParseError#NO_PORT} unless {@code defaultPort}
     * is given (>= 0); a bare number is a port on the wildcard address when {@code portOnlyAllowed}.
     */
    public static Endpoint parse(String text, int defaultPort, boolean portOnlyAllowed) throws ParseException {
        if (text.startsWith("unix:")) {
            String path = text.substring(5);
            if (path.isEmpty()) {
                throw new ParseException(ParseError.INVALID_HOST, text);
            }
            return unix(Path.of(path));
        }
        if (portOnlyAllowed && !text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            return inet("*", port(text, text));
        }
        String host;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new ParseException(ParseError.INVALID_HOST, text);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.startsWith(":")) {
                portText = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw new ParseException(ParseError.INVALID_HOST, text);
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0 && text.indexOf(':') != colon) {
                throw new ParseException(ParseError.INVALID_HOST, text); // bare IPv6 needs brackets
            }
            host = colon < 0 ? text : text.substring(0, colon);
            portText = colon < 0 ? null : text.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new ParseException(ParseError.INVALID_HOST, text);
        }
        if (portText == null) {
            if (defaultPort < 0) {
                throw new ParseException(ParseError.NO_PORT, text);
            }
            return inet(host, defaultPort);
        }
        return inet(host, port(portText, text));
    }

    private static int port(String portText, String whole) throws ParseException {
        if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
            throw new ParseException(ParseError.INVALID_PORT, whole);
        }
        int port = Integer.parseInt(portText);
        if (port > 65535) {
            throw new ParseException(ParseError.INVALID_PORT, whole);
        }
        return port;
    }

    /** Whether the host is the wildcard ({@code *}, {@code 0.0.0.0} or {@code ::}). */
    public boolean isWildcard() {
        return !isUnix() && (host.equals("*") || host.equals("0.0.0.0") || host.equals("::"));
    }

    /** A socket address to bind: the wildcard for {@code *}, otherwise the host resolved once. */
    public SocketAddress bindAddress() throws UnknownHostException {
        if (isUnix()) {
            return new DomainSocketAddress(unixPath.toFile());
        }
        if (host.equals("*")) {
            return new InetSocketAddress(port);
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    @Override
    public String toString() {
        if (isUnix()) {
            return "unix:" + unixPath;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** What was wrong with an address. */
    public enum ParseError { NO_PORT, INVALID_PORT, INVALID_HOST }

    /** An address that could not be parsed; the caller words the message for its directive. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        private final ParseError error;

        ParseException(ParseError error, String text) {
            super(switch (error) {
                case NO_PORT -> "no port in \"" + text + "\"";
                case INVALID_PORT -> "invalid port in \"" + text + "\"";
                case INVALID_HOST -> "invalid host in \"" + text + "\"";
            });
            this.error = error;
        }

        public ParseError error() {
            return error;
        }
    }
}
