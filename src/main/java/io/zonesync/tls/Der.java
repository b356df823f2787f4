package io.zonesync.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The little DER that turning PKCS#1 and SEC1 keys into PKCS#8 needs: read one element, write
 * an element around given contents.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** rsaEncryption, 1.2.840.113549.1.1.1. */
    static final byte[] RSA_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1. */
    static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Der() {
    }

    /** One element: its tag, where its contents start and how long they are. */
    record Element(int tag, int start, int length) {
        int end() {
            return start + length;
        }
    }

    static Element read(byte[] b, int at) {
        if (at + 2 > b.length) {
            throw new IllegalArgumentException("truncated DER at byte " + at);
        }
        int tag = b[at] & 0xff;
        int len = b[at + 1] & 0xff;
        int pos = at + 2;
        if (len > 0x80) {
            int n = len & 0x7f;
            if (n > 3 || pos + n > b.length) {
                throw new IllegalArgumentException("bad DER length at byte " + at);
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (b[pos++] & 0xff);
            }
        } else if (len == 0x80) {
            throw new IllegalArgumentException("indefinite DER length at byte " + at);
        }
        if (pos + len > b.length) {
            throw new IllegalArgumentException("DER element at byte " + at + " runs past the end");
        }
        return new Element(tag, pos, len);
    }

    static byte[] element(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) {
            body.writeBytes(c);
        }
        int len = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }

    /** PKCS#8 PrivateKeyInfo (version 0) around a key of the given algorithm. */
    static byte[] pkcs8(byte[] algorithmIdentifier, byte[] privateKey) {
        return element(SEQUENCE, new byte[] {INTEGER, 1, 0}, algorithmIdentifier, element(OCTET_STRING, privateKey));
    }

    /** PKCS#8 around a PKCS#1 RSAPrivateKey. */
    static byte[] rsaToPkcs8(byte[] pkcs1) {
        return pkcs8(element(SEQUENCE, element(OID, RSA_OID), new byte[] {NULL, 0}), pkcs1);
    }

    /** PKCS#8 around a SEC1 ECPrivateKey; its curve comes from the key's own [0] parameters. */
    static byte[] ecToPkcs8(byte[] sec1) {
        Element seq = read(sec1, 0);
        int at = seq.start();
        byte[] curve = null;
        while (at < seq.end()) {
            Element e = read(sec1, at);
            if (e.tag() == 0xa0) {
                Element oid = read(sec1, e.start());
                curve = slice(sec1, e.start(), oid.end());
            }
            at = e.end();
        }
        if (curve == null) {
            throw new IllegalArgumentException("the EC key names no curve");
        }
        return pkcs8(element(SEQUENCE, element(OID, EC_OID), curve), sec1);
    }
}
