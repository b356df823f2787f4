package io.zonesync.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Finds the client in header values such as X-Forwarded-For, the way nginx does: starting from the
 * connection's address, while the address so far is trusted, take the last address of the list
 * (an address may carry a port, {@code 192.0.2.1:8080} or {@code [2001:db8::1]:8080}); without
 * recursion that one is the answer, with recursion the walk goes on leftwards (and through
 * earlier header lines) until an untrusted address is reached. A value that is not an address
 * ends the walk: the answer is the last address found, or none.
 */
public final class ForwardedAddress {

    private ForwardedAddress() {
    }

    /**
     * How a walk over one value ended: {@code at} the last address taken, {@code found} whether it
     * took any, {@code complete} whether it went on to the value's start (only then does a
     * recursive search go on into the line before).
     */
    private record Walk(SocketAddress at, boolean found, boolean complete) {
    }

    /**
     * The client for a connection from {@code peer} given the values (header lines in the order
     * received), or null when no address was taken and the request keeps its own.
     */
    public static SocketAddress find(SocketAddress peer, List<String> values, TrustedAddresses trusted, boolean recursive) {
        SocketAddress at = peer;
        boolean found = false;
        for (int i = values.size() - 1; i >= 0; i--) {
            Walk w = walk(at, values.get(i), trusted, recursive);
            at = w.at();
            found |= w.found();
            if (!recursive || !w.complete()) {
                break;
            }
        }
        return found ? at : null;
    }

    /** One value, right to left. */
    private static Walk walk(SocketAddress start, String value, TrustedAddresses trusted, boolean recursive) {
        SocketAddress at = start;
        boolean found = false;
        int len = value.length();
        int p;
        do {
            if (!trusted.contains(at) || len <= 0) {
                return new Walk(at, found, false);
            }
            p = len - 1;
            while (p > 0 && (value.charAt(p) == ' ' || value.charAt(p) == ',')) {
                p--;
                len--;
            }
            while (p > 0) {
                if (value.charAt(p) == ' ' || value.charAt(p) == ',') {
                    p++;
                    break;
                }
                p--;
            }
            SocketAddress next = addressWithPort(value.substring(p, len));
            if (next == null) {
                return new Walk(at, found, false);
            }
            at = next;
            found = true;
            len = p - 1;
        } while (recursive && p > 0);
        return new Walk(at, true, true);
    }

    /** An address, optionally with a port ({@code 1.2.3.4:80}, {@code [::1]:80}); null when invalid. */
    static InetSocketAddress addressWithPort(String text) {
        InetAddress a = address(text);
        if (a != null) {
            return new InetSocketAddress(a, 0);
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                return null;
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.indexOf(':');
            if (colon < 0) {
                return null;
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int n = port(port);
        a = address(host);
        return n < 1 || a == null ? null : new InetSocketAddress(a, n);
    }

    /** An IPv4 or IPv6 literal (never a name); IPv4-mapped IPv6 stays IPv6, as nginx keeps it. Null when invalid. */
    static InetAddress address(String text) {
        if (text.isEmpty() || text.indexOf('/') >= 0) {
            return null;
        }
        IpNetwork n = IpNetwork.parse(text);
        if (n == null) {
            return null;
        }
        try {
            return n.family() == 16 ? Inet6Address.getByAddress(null, n.address(), -1)
                    : InetAddress.getByAddress(n.address());
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int port(String s) {
        return IpNetwork.parseDecimal(s, 5, 65535);
    }
}
