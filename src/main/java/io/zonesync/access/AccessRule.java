package io.zonesync.access;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.slf4j.LoggerFactory;

/**
 * One {@code allow} or {@code deny}: an address, a CIDR network (IPv4 or IPv6), {@code unix:}
 * (every UNIX-domain connection) or {@code all}. Text is parsed without any DNS lookup.
 */
public record AccessRule(boolean allow, byte[] network, int prefixLength, boolean unix, boolean all, Directive directive) {

    public static AccessRule parse(Directive d) throws ConfigException {
        boolean allow = d.name().equals("allow");
        String text = d.arg(0);
        if (text.equals("all")) {
            return new AccessRule(allow, null, 0, false, true, d);
        }
        if (text.equals("unix:")) {
            return new AccessRule(allow, null, 0, true, false, d);
        }
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = addr.indexOf(':') >= 0 ? v6(addr) : v4(addr);
        if (bytes == null) {
            throw d.error("invalid parameter \"%s\"", text);
        }
        int bits = bytes.length * 8;
        int len = bits;
        if (slash >= 0) {
            String n = text.substring(slash + 1);
            if (!n.matches("[0-9]{1,3}") || Integer.parseInt(n) > bits) {
                throw d.error("invalid parameter \"%s\"", text);
            }
            len = Integer.parseInt(n);
        }
        byte[] masked = bytes.clone();
        mask(masked, len);
        if (!Arrays.equals(masked, bytes)) {
            LoggerFactory.getLogger(AccessRule.class).warn("low address bits of {} are meaningless in {}",
                    text, d.where());
        }
        return new AccessRule(allow, masked, len, false, false, d);
    }

    private static byte[] v4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                return null;
            }
            out[i] = (byte) Integer.parseInt(parts[i]);
        }
        return out;
    }

    private static byte[] v6(String s) {
        if (!s.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(s); // a literal with ':' never goes to DNS
            return a instanceof Inet6Address ? a.getAddress() : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static void mask(byte[] bytes, int length) {
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            bytes[i] &= (byte) (0xFF << (8 - keep));
        }
    }

    /** Whether this rule is about the connection from {@code client}. */
    public boolean matches(SocketAddress client) {
        if (all) {
            return true;
        }
        if (!(client instanceof InetSocketAddress inet)) {
            return unix;
        }
        if (unix || inet.getAddress() == null) {
            return false;
        }
        InetAddress a = inet.getAddress();
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address && network.length == 4 && isV4Mapped(b)) {
            b = Arrays.copyOfRange(b, 12, 16);
        }
        if (b.length != network.length || (a instanceof Inet4Address) != (network.length == 4)) {
            return false;
        }
        mask(b, prefixLength);
        return Arrays.equals(b, network);
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
