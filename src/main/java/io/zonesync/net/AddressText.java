package io.zonesync.net;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Addresses as nginx prints them: IPv6 compressed as RFC 5952 has it ({@code ::1}, not Java's
 * {@code 0:0:0:0:0:0:0:1}) and without a scope, in brackets before a port; a unix socket as
 * {@code unix:PATH}. What an operator reads in logs and keys in zones must match nginx's.
 */
public final class AddressText {
    private AddressText() {
    }

    /** {@code 127.0.0.1}, {@code ::1}; an IPv4-mapped IPv6 address as {@code ::ffff:192.0.2.1}. */
    public static String ip(InetAddress ip) {
        return NetUtil.toAddressString(ip, true);
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}, {@code unix:/run/zs.sock}; an unresolved name as given. */
    public static String hostPort(SocketAddress a) {
        if (a instanceof InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString() : ip(inet.getAddress());
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (a instanceof DomainSocketAddress unix) {
            return "unix:" + unix.path();
        }
        return String.valueOf(a);
    }
}
