package io.zonesync.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network parsed from text such as {@code 10.0.0.0/8}, {@code 192.168.1.1},
 * {@code ::1} or {@code 2001:db8::/32}, with the host bits cleared. Parsed by hand so that no text
 * can ever trigger a DNS lookup. IPv4-mapped IPv6 text ({@code ::ffff:1.2.3.4}) stays IPv6.
 */
public final class IpNetwork {
    private final byte[] address;
    private final int prefixLength;

    private IpNetwork(byte[] address, int prefixLength) {
        this.address = address;
        this.prefixLength = prefixLength;
        mask(address, prefixLength);
    }

    /** The network for this text, or null if it is not an address or CIDR network. */
    public static IpNetwork parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = addr.indexOf(':') >= 0 ? parseV6(addr) : parseV4(addr);
        if (bytes == null) {
            return null;
        }
        int bits = bytes.length * 8;
        int len = bits;
        if (slash >= 0) {
            len = parseDecimal(text.substring(slash + 1), 3, bits);
            if (len < 0) {
                return null;
            }
        }
        return new IpNetwork(bytes, len);
    }

    /** The single address {@code a} as a network of its full length. */
    public static IpNetwork of(InetAddress a) {
        byte[] bytes = a.getAddress();
        return new IpNetwork(bytes, bytes.length * 8);
    }

    /** The network's address (host bits cleared) as an InetAddress; no name is looked up. */
    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + address.length + " bytes", e);
        }
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** 4 for IPv4, 16 for IPv6. */
    public int family() {
        return address.length;
    }

    /** The network's address bytes (4 or 16), host bits cleared. */
    public byte[] address() {
        return address.clone();
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}) as the IPv4 one; anything else as it is. */
    public IpNetwork unmapped() {
        if (address.length != 16 || prefixLength < 96) {
            return this;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return this;
            }
        }
        if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
            return this;
        }
        return new IpNetwork(Arrays.copyOfRange(address, 12, 16), prefixLength - 96);
    }

    /** This network shortened to {@code length} bits (at most its own). */
    public IpNetwork truncate(int length) {
        return new IpNetwork(address.clone(), Math.min(length, prefixLength));
    }

    private static void mask(byte[] bytes, int length) {
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            bytes[i] &= (byte) (0xFF << (8 - keep));
        }
    }

    /**
     * A decimal of at most {@code max}, written in 1 to {@code maxDigits} digits and nothing else,
     * -1 otherwise: prefix lengths and octets here, ports for {@link ForwardedAddress}.
     */
    static int parseDecimal(String s, int maxDigits, int max) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n <= max ? n : -1;
    }

    private static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int n = parseDecimal(parts[i], 3, 255);
            if (n < 0) {
                return null;
            }
            out[i] = (byte) n;
        }
        return out;
    }

    private static byte[] parseV6(String s) {
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            return null;
        }
        String head = dc < 0 ? s : s.substring(0, dc);
        String tail = dc < 0 ? "" : s.substring(dc + 2);
        byte[] headBytes = groups(head, dc < 0);
        byte[] tailBytes = groups(tail, true);
        if (headBytes == null || tailBytes == null) {
            return null;
        }
        int total = headBytes.length + tailBytes.length;
        if (dc < 0 ? total != 16 : total > 14) {
            return null;
        }
        byte[] out = new byte[16];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(tailBytes, 0, out, 16 - tailBytes.length, tailBytes.length);
        return out;
    }

    /** Colon-separated hex groups; the last may be a dotted IPv4 address when {@code mayEndInV4}. */
    private static byte[] groups(String s, boolean mayEndInV4) {
        if (s.isEmpty()) {
            return new byte[0];
        }
        String[] parts = s.split(":", -1);
        byte[] out = new byte[parts.length * 2 + 2];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && mayEndInV4 && p.indexOf('.') >= 0) {
                byte[] v4 = parseV4(p);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, n, 4);
                n += 4;
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                int d = Character.digit(p.charAt(j), 16);
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            out[n++] = (byte) (v >> 8);
            out[n++] = (byte) v;
        }
        return n > 16 ? null : Arrays.copyOf(out, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpNetwork other && prefixLength == other.prefixLength
                && Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + prefixLength;
    }
}
