package io.zonesync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port bound (port 0, the kernel's choice) but never listening: a connection to it is
 * refused, and nothing else can take the port while this holds it. For tests of a peer that is
 * down.
 */
public final class DeadPort implements AutoCloseable {
    private final Socket socket = new Socket();

    public DeadPort() {
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
