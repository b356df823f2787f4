package io.zonesync.keyval;

import io.zonesync.zone.Stamp;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One stored key of a keyval zone laid out in a single {@code byte[]}, and the reading of it: the
 * stamp (hlc, node), the absolute expiry (0 = never), the key's length with a tombstone flag, then
 * the key's and the value's UTF-8 bytes. A record is never changed once built (a write stores a new
 * one), so a copy of the references is a consistent view without the zone's lock. One array per key
 * instead of a key String, an entry object and a value array: 44 bytes of header and fields plus
 * the text, against about 190 (doc/architecture.md, "The keyval store").
 */
final class KeyvalRecord {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int HLC = 0;
    private static final int NODE = 8;
    private static final int EXPIRE = 16;
    /** The key's length in bytes, its top bit set for a tombstone. */
    private static final int KEY_LENGTH = 24;
    static final int KEY = 28;
    private static final int TOMBSTONE = 0x8000_0000;

    /** Records ordered by stamp, oldest first (unsigned hlc, then node, as {@link Stamp} orders). */
    static final Comparator<byte[]> BY_STAMP = (a, b) -> {
        int c = Long.compareUnsigned(hlc(a), hlc(b));
        return c != 0 ? c : Long.compareUnsigned(node(a), node(b));
    };

    /** Records ordered by their key's UTF-8 bytes (unsigned): code point order. */
    static final Comparator<byte[]> BY_KEY = (a, b) -> Arrays.compareUnsigned(a, KEY, KEY + keyLength(a),
            b, KEY, KEY + keyLength(b));

    private KeyvalRecord() {
    }

    /** A pair's record ({@code value} not null) or a tombstone's ({@code value} null). */
    static byte[] of(String key, String value, long expireAt, Stamp stamp) {
        return of(key, utf8Length(key), value, value == null ? 0 : utf8Length(value), expireAt, stamp);
    }

    /** The same with the {@link #utf8Length}s of key and value (0 for a tombstone) already counted. */
    static byte[] of(String key, int keyLength, String value, int valueLength, long expireAt, Stamp stamp) {
        byte[] r = header(keyLength, valueLength, value == null, expireAt, stamp);
        put(key, keyLength, r, KEY);
        if (value != null) {
            put(value, valueLength, r, KEY + keyLength);
        }
        return r;
    }

    /** The same with the value as UTF-8 bytes (null for a tombstone), copied in. */
    static byte[] of(String key, byte[] utf8Value, long expireAt, Stamp stamp) {
        int k = utf8Length(key);
        int v = utf8Value == null ? 0 : utf8Value.length;
        byte[] r = header(k, v, utf8Value == null, expireAt, stamp);
        put(key, k, r, KEY);
        if (utf8Value != null) {
            System.arraycopy(utf8Value, 0, r, KEY + k, v);
        }
        return r;
    }

    /** The same with the key as its UTF-8 form ({@link #utf8} of the key, as a peer sends it), copied in. */
    static byte[] of(byte[] keyUtf8, byte[] utf8Value, long expireAt, Stamp stamp) {
        int k = keyUtf8.length;
        int v = utf8Value == null ? 0 : utf8Value.length;
        byte[] r = header(k, v, utf8Value == null, expireAt, stamp);
        System.arraycopy(keyUtf8, 0, r, KEY, k);
        if (utf8Value != null) {
            System.arraycopy(utf8Value, 0, r, KEY + k, v);
        }
        return r;
    }

    /**
     * Writes {@code s}, of {@link #utf8Length} {@code length}, at {@code at}. An ASCII string is
     * copied with {@link String#getBytes(int, int, byte[], int)}, which takes each char's low byte
     * (exact for ASCII) and, for a string held as Latin-1 bytes, is one array copy; anything else
     * is encoded.
     */
    @SuppressWarnings("deprecation")
    private static void put(String s, int length, byte[] to, int at) {
        if (length == s.length()) {
            s.getBytes(0, length, to, at);
        } else {
            System.arraycopy(utf8(s), 0, to, at, length);
        }
    }

    private static byte[] header(int keyLength, int valueLength, boolean tombstone, long expireAt, Stamp stamp) {
        byte[] r = new byte[KEY + keyLength + valueLength];
        LONG.set(r, HLC, stamp.hlc());
        LONG.set(r, NODE, stamp.node());
        LONG.set(r, EXPIRE, expireAt);
        INT.set(r, KEY_LENGTH, tombstone ? keyLength | TOMBSTONE : keyLength);
        return r;
    }

    static long hlc(byte[] r) {
        return (long) LONG.get(r, HLC);
    }

    static long node(byte[] r) {
        return (long) LONG.get(r, NODE);
    }

    static Stamp stamp(byte[] r) {
        return new Stamp(hlc(r), node(r));
    }

    static long expireAt(byte[] r) {
        return (long) LONG.get(r, EXPIRE);
    }

    static boolean isTombstone(byte[] r) {
        return ((int) INT.get(r, KEY_LENGTH) & TOMBSTONE) != 0;
    }

    static int keyLength(byte[] r) {
        return (int) INT.get(r, KEY_LENGTH) & ~TOMBSTONE;
    }

    static int valueOffset(byte[] r) {
        return KEY + keyLength(r);
    }

    /** The value's length in bytes (0 for a tombstone). */
    static int valueLength(byte[] r) {
        return r.length - valueOffset(r);
    }

    static String key(byte[] r) {
        return new String(r, KEY, keyLength(r), StandardCharsets.UTF_8);
    }

    static byte[] keyBytes(byte[] r) {
        return Arrays.copyOfRange(r, KEY, KEY + keyLength(r));
    }

    /** The value, or null for a tombstone. */
    static String value(byte[] r) {
        return isTombstone(r) ? null : new String(r, valueOffset(r), valueLength(r), StandardCharsets.UTF_8);
    }

    /** A copy of the value's bytes, or null for a tombstone. */
    static byte[] valueBytes(byte[] r) {
        return isTombstone(r) ? null : Arrays.copyOfRange(r, valueOffset(r), r.length);
    }

    /** Whether the record's stamp is older than {@code other} (without making a Stamp). */
    static boolean isOlderThan(byte[] r, Stamp other) {
        int c = Long.compareUnsigned(hlc(r), other.hlc());
        return c < 0 || c == 0 && Long.compareUnsigned(node(r), other.node()) < 0;
    }

    static boolean liveAt(byte[] r, long now) {
        long e = expireAt(r);
        return !isTombstone(r) && (e == 0 || now < e);
    }

    static boolean expiredAt(byte[] r, long now) {
        long e = expireAt(r);
        return e != 0 && now >= e;
    }

    /** Whether the record's key is {@code key}: ASCII compared char by char, anything else encoded once. */
    static boolean keyEquals(byte[] r, String key) {
        int n = keyLength(r);
        int chars = key.length();
        if (chars > n) {
            return false; // every char is at least one byte
        }
        for (int i = 0; i < chars; i++) {
            char c = key.charAt(i);
            if (c >= 0x80) {
                byte[] k = utf8(key);
                return Arrays.equals(r, KEY, KEY + n, k, 0, k.length);
            }
            if (r[KEY + i] != (byte) c) {
                return false;
            }
        }
        return chars == n;
    }

    /** Whether the record's key is {@code keyUtf8}, a key's UTF-8 form. */
    static boolean keyEquals(byte[] r, byte[] keyUtf8) {
        return Arrays.equals(r, KEY, KEY + keyLength(r), keyUtf8, 0, keyUtf8.length);
    }

    /** {@link #hash(String)} of a key given as its UTF-8 form. */
    static int hash(byte[] keyUtf8) {
        return hash(keyUtf8, 0, keyUtf8.length);
    }

    /**
     * The hash of a key's UTF-8 form (the bytes a record holds): ASCII strings are hashed char by
     * char without encoding, anything else encoded once.
     */
    static int hash(String key) {
        int h = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 0x80) {
                byte[] k = utf8(key);
                return hash(k, 0, k.length);
            }
            h = 31 * h + c;
        }
        return h;
    }

    /**
     * {@link #hash(String)} of a key whose {@link #utf8Length} is {@code utf8Length}: for an ASCII
     * key (as long in bytes as in chars) the sum over its bytes is {@link String#hashCode}, which the
     * String computes once and keeps.
     */
    static int hash(String key, int utf8Length) {
        return utf8Length == key.length() ? key.hashCode() : hash(utf8(key));
    }

    private static int hash(byte[] b, int from, int length) {
        int h = 0;
        for (int i = from; i < from + length; i++) {
            h = 31 * h + (b[i] & 0xff);
        }
        return h;
    }

    /**
     * The UTF-8 form of {@code s} as the zone keeps it: a lone surrogate, which UTF-8 cannot carry,
     * becomes U+FFFD (three bytes, as {@link #utf8Length} counts it), so that a key's stored form,
     * its hash, its cost and what a peer decodes agree.
     */
    static byte[] utf8(String s) {
        byte[] out = new byte[utf8Length(s)];
        int o = 0;
        for (int i = 0; i < s.length(); i++) {
            int c = s.charAt(i);
            if (Character.isHighSurrogate((char) c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                c = Character.toCodePoint((char) c, s.charAt(++i));
            } else if (Character.isSurrogate((char) c)) {
                c = 0xFFFD;
            }
            if (c < 0x80) {
                out[o++] = (byte) c;
            } else if (c < 0x800) {
                out[o++] = (byte) (0xC0 | c >> 6);
                out[o++] = (byte) (0x80 | c & 0x3F);
            } else if (c < 0x10000) {
                out[o++] = (byte) (0xE0 | c >> 12);
                out[o++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[o++] = (byte) (0x80 | c & 0x3F);
            } else {
                out[o++] = (byte) (0xF0 | c >> 18);
                out[o++] = (byte) (0x80 | c >> 12 & 0x3F);
                out[o++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[o++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return out;
    }

    /** Bytes of {@code s} in UTF-8 as {@link #utf8} writes it, without encoding it. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
