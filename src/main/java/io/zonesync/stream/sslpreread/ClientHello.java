package io.zonesync.stream.sslpreread;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ssl_preread} reads of a TLS ClientHello: the server name (SNI), the ALPN protocols and
 * the highest protocol version offered. The hello may span several TLS records.
 *
 * @param serverName empty without SNI
 * @param alpn the protocols comma-separated, empty without ALPN
 * @param protocol {@code TLSv1.2}, {@code TLSv1.3}, ... ; empty when unknown
 */
record ClientHello(String serverName, String alpn, String protocol) {

    /** What the bytes read so far say. */
    sealed interface Result permits NeedMore, NotTls, Parsed {
    }

    record NeedMore() implements Result {
    }

    /** Not a TLS handshake (or a broken one): preread ends with empty variables, as nginx's. */
    record NotTls() implements Result {
    }

    record Parsed(ClientHello hello) implements Result {
    }

    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;

    /** Parses {@code data} (not consumed) as far as it goes. */
    static Result parse(ByteBuf data) {
        byte[] all = new byte[data.readableBytes()];
        data.getBytes(data.readerIndex(), all);
        // the handshake message, gathered from the records' payloads
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            if (all.length - pos < 5) {
                return all.length > pos && (all[pos] & 0xff) != HANDSHAKE ? new NotTls() : new NeedMore();
            }
            if ((all[pos] & 0xff) != HANDSHAKE || (all[pos + 1] & 0xff) != 3) {
                return new NotTls();
            }
            int length = (all[pos + 3] & 0xff) << 8 | (all[pos + 4] & 0xff);
            if (all.length - pos - 5 < length) {
                handshake.write(all, pos + 5, all.length - pos - 5);
                return enough(handshake.toByteArray()) ? hello(handshake.toByteArray()) : new NeedMore();
            }
            handshake.write(all, pos + 5, length);
            pos += 5 + length;
            byte[] h = handshake.toByteArray();
            if (enough(h)) {
                return hello(h);
            }
        }
    }

    private static boolean enough(byte[] h) {
        return h.length >= 4 && h.length >= 4 + ((h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff));
    }

    private static Result hello(byte[] h) {
        if ((h[0] & 0xff) != CLIENT_HELLO) {
            return new NotTls();
        }
        try {
            Reader r = new Reader(h, 4, 4 + ((h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff)));
            int version = r.u16();
            r.skip(32);
            r.skip(r.u8());
            r.skip(r.u16());
            r.skip(r.u8());
            String name = "";
            List<String> alpn = new ArrayList<>();
            int highest = version;
            if (r.remaining() > 0) {
                Reader ext = r.sub(r.u16());
                while (ext.remaining() > 0) {
                    int type = ext.u16();
                    Reader body = ext.sub(ext.u16());
                    if (type == 0) { // server_name
                        Reader list = body.sub(body.u16());
                        while (list.remaining() > 0) {
                            int nameType = list.u8();
                            int len = list.u16();
                            String text = list.text(len);
                            if (nameType == 0 && name.isEmpty()) {
                                name = text;
                            }
                        }
                    } else if (type == 16) { // application_layer_protocol_negotiation
                        Reader list = body.sub(body.u16());
                        while (list.remaining() > 0) {
                            alpn.add(list.text(list.u8()));
                        }
                    } else if (type == 43) { // supported_versions
                        Reader list = body.sub(body.u8());
                        highest = 0;
                        while (list.remaining() > 0) {
                            int v = list.u16();
                            if ((v >> 8) == 3 && v > highest) {
                                highest = v;
                            }
                        }
                    }
                }
            }
            return new Parsed(new ClientHello(name, String.join(",", alpn), protocol(highest)));
        } catch (IndexOutOfBoundsException broken) {
            return new NotTls();
        }
    }

    private static String protocol(int version) {
        return switch (version) {
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv1";
            case 0x0302 -> "TLSv1.1";
            case 0x0303 -> "TLSv1.2";
            case 0x0304 -> "TLSv1.3";
            default -> "";
        };
    }

    /** Big-endian fields of a slice of the message; running past its end throws. */
    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int pos, int end) {
            if (end > b.length) {
                throw new IndexOutOfBoundsException("truncated");
            }
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        int u8() {
            check(1);
            return b[pos++] & 0xff;
        }

        int u16() {
            check(2);
            int v = (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        void skip(int n) {
            check(n);
            pos += n;
        }

        String text(int n) {
            check(n);
            String s = new String(b, pos, n, StandardCharsets.ISO_8859_1);
            pos += n;
            return s;
        }

        Reader sub(int n) {
            check(n);
            Reader r = new Reader(b, pos, pos + n);
            pos += n;
            return r;
        }

        private void check(int n) {
            if (n < 0 || pos + n > end) {
                throw new IndexOutOfBoundsException("truncated");
            }
        }
    }
}
