package io.zonesync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A port on 127.0.0.1 bound (port 0, the kernel's choice) but never listening, held until closed.
 * A connection to it is refused, so it stands for a peer that is down; and while it is held the
 * kernel gives the number to no one else, so nodes on other loopback addresses (127.0.0.2, ...)
 * can all listen on it, as the nodes of a DNS-discovered cluster share one port.
 */
public final class HeldPort implements AutoCloseable {
    private final Socket socket = new Socket();

    public HeldPort() {
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
