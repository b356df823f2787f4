package io.zonesync.http.subfilter;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.zonesync.http.core.BodyEncoder;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Replaces the {@code sub_filter} strings in a body as it streams: ASCII case-insensitive, at each
 * position the first rule (in configuration order) that matches wins, and with {@code once} each
 * rule replaces only its first match. A possible match cut by the end of a piece is held back (at
 * most the longest pattern less one byte) until the next piece or the end of the body decides it.
 */
final class SubMatcher implements BodyEncoder {
    /** A pattern (lower-case bytes) and its replacement. */
    record Rule(byte[] pattern, byte[] replacement) {
    }

    private final List<Rule> rules;
    private final boolean once;
    private final boolean[] used;
    private byte[] carry = new byte[0];

    SubMatcher(List<Rule> rules, boolean once) {
        this.rules = List.copyOf(rules);
        this.once = once;
        this.used = new boolean[rules.size()];
    }

    @Override
    public ByteBuf encode(ByteBuf in) {
        byte[] data;
        try {
            data = new byte[carry.length + in.readableBytes()];
            System.arraycopy(carry, 0, data, 0, carry.length);
            in.getBytes(in.readerIndex(), data, carry.length, in.readableBytes());
        } finally {
            in.release();
        }
        return Unpooled.wrappedBuffer(scan(data, false));
    }

    @Override
    public ByteBuf finish() {
        return Unpooled.wrappedBuffer(scan(carry, true));
    }

    /** The output for {@code data}; unless {@code last}, a cut-off possible match stays in {@code carry}. */
    private byte[] scan(byte[] data, boolean last) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
        int i = 0;
        outer:
        while (i < data.length) {
            boolean partial = false;
            for (int r = 0; r < rules.size(); r++) {
                if (used[r]) {
                    continue;
                }
                byte[] p = rules.get(r).pattern();
                int n = Math.min(p.length, data.length - i);
                if (!same(data, i, p, n)) {
                    continue;
                }
                if (n == p.length) {
                    out.writeBytes(rules.get(r).replacement());
                    used[r] = once;
                    i += p.length;
                    continue outer;
                }
                partial = true;
            }
            if (partial && !last) {
                carry = Arrays.copyOfRange(data, i, data.length);
                return out.toByteArray();
            }
            out.write(data[i]);
            i++;
        }
        carry = new byte[0];
        return out.toByteArray();
    }

    private static boolean same(byte[] data, int from, byte[] lowerPattern, int n) {
        for (int k = 0; k < n; k++) {
            byte b = data[from + k];
            if (b >= 'A' && b <= 'Z') {
                b = (byte) (b + ('a' - 'A'));
            }
            if (b != lowerPattern[k]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        carry = new byte[0];
    }
}
