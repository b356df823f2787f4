package io.zonesync.stream;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A UDP backend for stream tests on 127.0.0.1, port 0: answers each datagram with its greeting
 * followed by the datagram; and the client side of UDP exchanges.
 */
public final class UdpEcho implements AutoCloseable {
    private final DatagramSocket socket;

    public UdpEcho(String greeting) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        byte[] prefix = greeting.getBytes(StandardCharsets.ISO_8859_1);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    byte[] out = Arrays.copyOf(prefix, prefix.length + p.getLength());
                    System.arraycopy(buf, 0, out, prefix.length, p.getLength());
                    socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }, "udp-echo");
        t.setDaemon(true);
        t.start();
    }

    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Sends {@code text} from a new socket and returns the answers that came within 2 s, joined with "|". */
    public static String exchange(String host, int port, String text, int answers) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
            s.send(new DatagramPacket(data, data.length, new InetSocketAddress(host, port)));
            StringBuilder out = new StringBuilder();
            byte[] buf = new byte[65536];
            for (int i = 0; i < answers; i++) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException none) {
                    out.append(i == 0 ? "" : "|").append("(none)");
                    break;
                }
                out.append(i == 0 ? "" : "|").append(new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1));
            }
            return out.toString();
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
