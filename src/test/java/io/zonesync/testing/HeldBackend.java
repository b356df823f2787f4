package io.zonesync.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP backend on 127.0.0.1 (port 0) that answers every request with one body, except that a
 * request whose path starts with {@code /slow} is held, unanswered, until {@link #release} (or 30
 * seconds): a request in progress for as long as a test needs one.
 */
public final class HeldBackend implements AutoCloseable {
    private final HttpServer server;
    private final CountDownLatch released = new CountDownLatch(1);

    public HeldBackend(String body) {
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            if (ex.getRequestURI().getPath().startsWith("/slow")) {
                try {
                    released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    /** {@code 127.0.0.1:PORT}, for {@code proxy_pass}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Lets the held requests be answered, and any later {@code /slow} one at once. */
    public void release() {
        released.countDown();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
