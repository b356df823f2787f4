package io.zonesync.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's nginx run by a test, beside zonesync, on the same http block: the reference for
 * differential tests. It listens on 127.0.0.2 at a port {@link HeldPort} holds on 127.0.0.1 (nginx
 * cannot listen on port 0); {@code LISTEN} in the http block stands for that address. {@code .ci/run}
 * installs nginx; where it is missing the test is skipped and says so.
 */
public final class Nginx implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/nginx");
    private static final Path STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");

    private final HeldPort port = new HeldPort();
    private final Process process;
    private final Path prefix;

    private Nginx(Path prefix, String http, String stream) throws IOException {
        this.prefix = prefix;
        Files.createDirectories(prefix.resolve("tmp"));
        String listen = address();
        Files.writeString(prefix.resolve("nginx.conf"), (stream == null ? "" : "load_module " + STREAM_MODULE + ";\n")
                + """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 64; }
                http {
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                %2$s
                }
                """.formatted(prefix, http.replace("LISTEN", listen))
                + (stream == null ? "" : "stream {\n" + stream.replace("LISTEN", listen) + "\n}\n"));
        this.process = new ProcessBuilder(List.of(BINARY.toString(), "-p", prefix + "/", "-c",
                prefix.resolve("nginx.conf").toString(), "-e", prefix.resolve("error.log").toString()))
                .redirectErrorStream(true).redirectOutput(prefix.resolve("stderr.log").toFile()).start();
    }

    /** Starts nginx on the http block's body ({@code LISTEN} for its address); returns once it accepts. */
    public static Nginx start(Path prefix, String http) throws IOException {
        return start(prefix, http, null);
    }

    /**
     * Starts nginx with a stream block's body too ({@code LISTEN} for its address in either; the
     * stream module is loaded); returns once the address accepts.
     */
    public static Nginx startStream(Path prefix, String stream) throws IOException {
        Assumptions.assumeTrue(Files.exists(STREAM_MODULE), "nginx's stream module is not installed"
                + " (apt-get install libnginx-mod-stream)");
        return start(prefix, "", stream);
    }

    private static Nginx start(Path prefix, String http, String stream) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "nginx is not installed (apt-get install nginx-light)");
        Nginx n = new Nginx(prefix, http, stream);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                if (!n.process.isAlive()) {
                    throw new IllegalStateException("nginx exited: " + Files.readString(prefix.resolve("stderr.log")));
                }
                return n.accepts();
            });
        } catch (RuntimeException | Error e) {
            n.close();
            throw e;
        }
        return n;
    }

    /** {@code 127.0.0.2:PORT}. */
    public String address() {
        return "127.0.0.2:" + port.port();
    }

    public int port() {
        return port.port();
    }

    /** What nginx wrote to its error log so far. */
    public String errorLog() throws IOException {
        Path log = prefix.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.2", port.port()), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            port.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
