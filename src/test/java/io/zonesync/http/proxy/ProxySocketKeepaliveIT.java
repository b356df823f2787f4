package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.InJvmNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_socket_keepalive} in http and stream: the upstream connection has SO_KEEPALIVE
 * (Linux runs its keep-alive timer, timer 2 in /proc/net/tcp) when on, and not by default. The
 * node runs in this JVM, so its sockets are in /proc/self/net/tcp; the backend accepts and never
 * answers, so the connection stays open while it is looked at.
 */
class ProxySocketKeepaliveIT {
    @TempDir
    Path dir;

    @Test
    void setsSoKeepaliveOnUpstreamConnectionsWhenOn() throws Exception {
        Backend on = new Backend();
        Backend off = new Backend();
        Backend streamOn = new Backend();
        Backend streamOff = new Backend();
        // the node closes last: the backends' closing ends the requests it holds
        try (InJvmNode node = InJvmNode.start(dir, """
                        events { }
                        http {
                            server {
                                listen 127.0.0.1:0;
                                proxy_read_timeout 30s;
                                location /on/ { proxy_socket_keepalive on; proxy_pass http://%s; }
                                location /off/ { proxy_pass http://%s; }
                            }
                        }
                        stream {
                            server { listen 127.0.0.1:0; proxy_socket_keepalive on; proxy_pass %s; }
                            server { listen 127.0.0.2:0; proxy_pass %s; }
                        }
                        """.formatted(on.address(), off.address(), streamOn.address(), streamOff.address()))) {
            HttpClient client = HttpClient.newHttpClient();
            for (String path : List.of("/on/", "/off/")) {
                URI uri = URI.create("http://127.0.0.1:" + node.httpPort() + path);
                client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
            }
            List<Socket> clients = new ArrayList<>();
            for (var a : node.node.streamAddresses().values()) {
                clients.add(new Socket(((InetSocketAddress) a).getAddress(), ((InetSocketAddress) a).getPort()));
            }
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> timer(on.port()) != null && timer(off.port()) != null
                        && timer(streamOn.port()) != null && timer(streamOff.port()) != null);
                assertThat(timer(on.port())).isEqualTo(KEEPALIVE);
                assertThat(timer(off.port())).isEqualTo(NONE);
                assertThat(timer(streamOn.port())).isEqualTo(KEEPALIVE);
                assertThat(timer(streamOff.port())).isEqualTo(NONE);
            } finally {
                for (AutoCloseable c : List.of(on, off, streamOn, streamOff)) {
                    c.close();
                }
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    private static final String KEEPALIVE = "02";
    private static final String NONE = "00";

    /**
     * The timer of this JVM's established connection to 127.0.0.1:{@code port}, or null while there
     * is none.
     */
    private static String timer(int port) {
        try {
            String remote = String.format(":%04X", port);
            // a dual-stack socket (epoll's) shows the address IPv4-mapped in tcp6
            for (String table : List.of("tcp", "tcp6")) {
                for (String line : Files.readAllLines(Path.of("/proc/self/net", table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 5 && f[2].endsWith("0100007F" + remote) && f[3].equals("01")) {
                        return f[5].substring(0, 2);
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Accepts connections and holds them, never answering. */
    private static final class Backend implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final List<Socket> held = new ArrayList<>();
        private final Thread acceptor = new Thread(this::accept, "held-backend");

        Backend() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = server.accept();
                    synchronized (held) {
                        held.add(s);
                    }
                }
            } catch (IOException closed) {
                // closed by close()
            }
        }

        int port() {
            return server.getLocalPort();
        }

        String address() {
            return "127.0.0.1:" + port();
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
