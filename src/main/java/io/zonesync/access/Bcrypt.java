package io.zonesync.access;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks a password against a bcrypt hash ({@code $2a$}, {@code $2b$}, {@code $2y$}), written from
 * the algorithm as Provos and Mazieres published it: EksBlowfishSetup with 2^cost rounds, then
 * "OrpheanBeholderScryDoubt" encrypted 64 times. Blowfish's initial P-array and S-boxes are the
 * hexadecimal digits of pi after the point; they are computed here once (Machin's formula on
 * big integers, a few milliseconds) rather than written out as a thousand constants.
 */
final class Bcrypt {
    private static final String ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int[] PI_WORDS = piWords(18 + 4 * 256);
    private static final byte[] MAGIC = "OrpheanBeholderScryDoubt".getBytes(StandardCharsets.US_ASCII);
    /** Hashes above this cost would hold a worker for seconds per request; they are refused. */
    static final int MAX_COST = 16;

    private final int[] p = new int[18];
    private final int[] s = new int[1024];

    private Bcrypt() {
        System.arraycopy(PI_WORDS, 0, p, 0, 18);
        System.arraycopy(PI_WORDS, 18, s, 0, 1024);
    }

    /** The first {@code n} 32-bit words of pi's fractional part in hexadecimal. */
    static int[] piWords(int n) {
        int bits = n * 32 + 64;
        BigInteger one = BigInteger.ONE.shiftLeft(bits);
        BigInteger pi = arctanInverse(5, one).shiftLeft(4).subtract(arctanInverse(239, one).shiftLeft(2));
        BigInteger frac = pi.subtract(BigInteger.valueOf(3).shiftLeft(bits)).shiftRight(64);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = frac.shiftRight((n - 1 - i) * 32).intValue();
        }
        return out;
    }

    /** arctan(1/x) in fixed point with {@code one} as 1. */
    private static BigInteger arctanInverse(int x, BigInteger one) {
        BigInteger x2 = BigInteger.valueOf((long) x * x);
        BigInteger term = one.divide(BigInteger.valueOf(x));
        BigInteger sum = term;
        for (int k = 1; term.signum() != 0; k++) {
            term = term.divide(x2);
            BigInteger t = term.divide(BigInteger.valueOf(2L * k + 1));
            sum = (k & 1) == 1 ? sum.subtract(t) : sum.add(t);
        }
        return sum;
    }

    /** Whether {@code password} matches {@code hash}; a malformed hash or a cost above {@link #MAX_COST} never does. */
    static boolean matches(String password, String hash) {
        if (hash.length() != 60 || hash.charAt(0) != '$' || hash.charAt(1) != '2' || hash.charAt(3) != '$'
                || "aby".indexOf(hash.charAt(2)) < 0 || hash.charAt(6) != '$') {
            return false;
        }
        int cost;
        try {
            cost = Integer.parseInt(hash.substring(4, 6));
        } catch (NumberFormatException e) {
            return false;
        }
        if (cost < 4 || cost > MAX_COST) {
            return false;
        }
        byte[] salt = decode(hash.substring(7, 29), 16);
        if (salt == null) {
            return false;
        }
        String expected = hash.substring(0, 29) + encode(digest(password, salt, cost), 23);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII));
    }

    static int cost(String hash) {
        try {
            return Integer.parseInt(hash.substring(4, 6));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static byte[] digest(String password, byte[] salt, int cost) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[Math.min(pw.length + 1, 72)];
        System.arraycopy(pw, 0, key, 0, Math.min(pw.length, key.length));
        Bcrypt b = new Bcrypt();
        b.expand(key, salt);
        for (long i = 1L << cost; i > 0; i--) {
            b.expand(key, null);
            b.expand(salt, null);
        }
        int[] text = new int[6];
        for (int i = 0; i < 6; i++) {
            text[i] = word(MAGIC, new int[] {i * 4});
        }
        for (int round = 0; round < 64; round++) {
            for (int j = 0; j < 6; j += 2) {
                b.encipher(text, j);
            }
        }
        byte[] out = new byte[24];
        for (int i = 0; i < 6; i++) {
            out[4 * i] = (byte) (text[i] >>> 24);
            out[4 * i + 1] = (byte) (text[i] >>> 16);
            out[4 * i + 2] = (byte) (text[i] >>> 8);
            out[4 * i + 3] = (byte) text[i];
        }
        return out;
    }

    /** The next 32 bits of {@code data}, cycling; {@code at[0]} is the position. */
    private static int word(byte[] data, int[] at) {
        int w = 0;
        for (int i = 0; i < 4; i++) {
            w = (w << 8) | (data[at[0]] & 0xff);
            at[0] = (at[0] + 1) % data.length;
        }
        return w;
    }

    /** Blowfish's key schedule, with bcrypt's salt mixed into each block when {@code salt} is given. */
    private void expand(byte[] key, byte[] salt) {
        int[] keyAt = {0};
        for (int i = 0; i < 18; i++) {
            p[i] ^= word(key, keyAt);
        }
        int[] block = {0, 0};
        int[] saltAt = {0};
        for (int i = 0; i < 18 + 1024; i += 2) {
            if (salt != null) {
                block[0] ^= word(salt, saltAt);
                block[1] ^= word(salt, saltAt);
            }
            encipher(block, 0);
            if (i < 18) {
                p[i] = block[0];
                p[i + 1] = block[1];
            } else {
                s[i - 18] = block[0];
                s[i - 17] = block[1];
            }
        }
    }

    private int f(int x) {
        return ((s[x >>> 24] + s[256 | ((x >>> 16) & 0xff)]) ^ s[512 | ((x >>> 8) & 0xff)]) + s[768 | (x & 0xff)];
    }

    private void encipher(int[] block, int at) {
        int l = block[at] ^ p[0];
        int r = block[at + 1];
        for (int i = 1; i <= 16; i += 2) {
            r ^= f(l) ^ p[i];
            l ^= f(r) ^ p[i + 1];
        }
        block[at] = r ^ p[17];
        block[at + 1] = l;
    }

    private static String encode(byte[] data, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i += 3) {
            int c1 = data[i] & 0xff;
            b.append(ALPHABET.charAt(c1 >> 2));
            c1 = (c1 & 0x03) << 4;
            if (i + 1 >= length) {
                b.append(ALPHABET.charAt(c1));
                break;
            }
            int c2 = data[i + 1] & 0xff;
            b.append(ALPHABET.charAt(c1 | (c2 >> 4)));
            c1 = (c2 & 0x0f) << 2;
            if (i + 2 >= length) {
                b.append(ALPHABET.charAt(c1));
                break;
            }
            int c3 = data[i + 2] & 0xff;
            b.append(ALPHABET.charAt(c1 | (c3 >> 6)));
            b.append(ALPHABET.charAt(c3 & 0x3f));
        }
        return b.toString();
    }

    private static byte[] decode(String text, int length) {
        byte[] out = new byte[length];
        int n = 0;
        int bits = 0;
        int acc = 0;
        for (int i = 0; i < text.length() && n < length; i++) {
            int v = ALPHABET.indexOf(text.charAt(i));
            if (v < 0) {
                return null;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >> bits);
            }
        }
        return n == length ? out : null;
    }
}
