package io.zonesync.http.upstream;

/**
 * {@code host[:port]} as written in {@code server} and {@code proxy_pass}; IPv6 in brackets.
 *
 * @param explicitPort whether the text named a port
 */
public record HostPort(String host, int port, boolean explicitPort) {

    /** Parses {@code text}, or null when the port is not a number from 1 to 65535. */
    public static HostPort parse(String text, int defaultPort) {
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else if (!rest.isEmpty()) {
                return null;
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0) {
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
            }
        }
        if (host.isEmpty()) {
            return null;
        }
        if (port == null) {
            return new HostPort(host, defaultPort, false);
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int p = Integer.parseInt(port);
        return p < 1 || p > 65535 ? null : new HostPort(host, p, true);
    }
}
