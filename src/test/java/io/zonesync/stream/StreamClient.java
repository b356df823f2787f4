package io.zonesync.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** TCP exchanges for stream tests (bytes as ISO-8859-1 text), with a 10 s read timeout. */
public final class StreamClient {
    private StreamClient() {
    }

    /** Sends {@code text}, then reads until {@code expected} bytes came or the server closed. */
    public static String exchange(int port, String text, int expected) throws IOException {
        return exchange("127.0.0.1", port, text, expected);
    }

    public static String exchange(String host, int port, String text, int expected) throws IOException {
        try (Socket s = connect(host, port)) {
            s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return read(s.getInputStream(), expected);
        }
    }

    /** Sends {@code text} and nothing more, reads everything until the server closes. */
    public static String untilClosed(int port, String text, boolean halfClose) throws IOException {
        return untilClosed("127.0.0.1", port, text, halfClose);
    }

    public static String untilClosed(String host, int port, String text, boolean halfClose) throws IOException {
        try (Socket s = connect(host, port)) {
            s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            return read(s.getInputStream(), Integer.MAX_VALUE);
        }
    }

    public static Socket connect(int port) throws IOException {
        return connect("127.0.0.1", port);
    }

    public static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Up to {@code expected} bytes, fewer if the stream ends (or is reset) first. */
    public static String read(InputStream in, int expected) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (out.size() < expected) {
                int n = in.read(buf, 0, Math.min(buf.length, expected - out.size()));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            }
        } catch (SocketException reset) {
            // a reset ends the exchange as a close does
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
