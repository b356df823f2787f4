package io.zonesync.testing;

import io.zonesync.http.core.RawClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * zonesync and Debian's nginx on one http block, side by side, for tests that check "behaves as
 * nginx" instead of assuming it: {@link #both} sends the same request to each and returns what
 * each answered, reduced to what must agree — the status, the body, and the headers that matter
 * (Location, Content-Type, Content-Encoding, Vary, Cache-Control and any {@code X-} header; a gzipped
 * body is compared unzipped), with each server's own name, version and port
 * replaced by {@code SERVER}, {@code VERSION} and {@code PORT}.
 *
 * <p>In the http block, {@code LISTEN} stands for each server's address.
 */
public final class Differential implements AutoCloseable {
    private static final Pattern VERSIONED = Pattern.compile("(?:nginx|zonesync)/[0-9][^<\\s\"]*");

    private final InJvmNode zonesync;
    private final Nginx nginx;

    /** What one server answered, reduced to what must agree. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    /** Both answers to one request. */
    public record Pair(Answer zonesync, Answer nginx) {
    }

    private Differential(InJvmNode zonesync, Nginx nginx) {
        this.zonesync = zonesync;
        this.nginx = nginx;
    }

    public static Differential start(Path dir, String http) throws Exception {
        Nginx nginx = Nginx.start(dir.resolve("nginx"), http);
        try {
            InJvmNode node = InJvmNode.start(dir.resolve("zonesync"), "events { }\nhttp {\n"
                    + http.replace("LISTEN", "127.0.0.1:0") + "\n}\n");
            return new Differential(node, nginx);
        } catch (Exception | Error e) {
            nginx.close();
            throw e;
        }
    }

    /** GET {@code target} with {@code Host: diff.test} from both. */
    public Pair get(String target) throws IOException {
        return both("GET " + target + " HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n");
    }

    /** Sends the raw request text to both; it should end with {@code Connection: close}. */
    public Pair both(String request) throws IOException {
        return both(request, Set.of());
    }

    /**
     * As {@link #both(String)}, comparing the headers in {@code alsoCompared} too (lower case; a
     * repeated header's values joined by a newline, in order).
     */
    public Pair both(String request, Set<String> alsoCompared) throws IOException {
        return new Pair(ask("127.0.0.1", zonesync.httpPort(), request, "zonesync", alsoCompared),
                ask("127.0.0.2", nginx.port(), request, "nginx", alsoCompared));
    }

    /**
     * Sends the raw request text to both and leaves the connections open, zonesync's first: for a
     * request the test keeps in flight (close them when done).
     */
    public List<RawClient> sendAndHold(String request) throws IOException {
        RawClient z = new RawClient("127.0.0.1", zonesync.httpPort());
        RawClient n = new RawClient("127.0.0.2", nginx.port());
        z.send(request);
        n.send(request);
        return List.of(z, n);
    }

    /**
     * Sends the raw request text to both and says, zonesync's first, whether each closed the
     * connection without answering a byte.
     */
    public List<Boolean> closedWithoutAnswer(String request) throws IOException {
        return List.of(closesSilently("127.0.0.1", zonesync.httpPort(), request),
                closesSilently("127.0.0.2", nginx.port(), request));
    }

    private static boolean closesSilently(String host, int port, String request) throws IOException {
        try (RawClient c = new RawClient(host, port)) {
            return c.send(request).closedByServer();
        }
    }

    private static Answer ask(String host, int port, String request, String name, Set<String> alsoCompared)
            throws IOException {
        RawClient.Response r;
        try (RawClient c = new RawClient(host, port)) {
            r = c.send(request).read(request.startsWith("HEAD "));
        }
        Map<String, String> headers = new TreeMap<>();
        r.headers().forEach((k, v) -> {
            if (k.equals("location") || k.equals("content-type") || k.equals("content-encoding") || k.equals("vary")
                    || k.equals("cache-control") || k.startsWith("x-") || alsoCompared.contains(k)) {
                headers.put(k, normalise(v, name, port));
            }
        });
        String body = r.body();
        if ("gzip".equals(r.header("content-encoding"))) {
            body = "gunzip:" + gunzip(body);
        }
        return new Answer(r.status(), headers, normalise(body, name, port));
    }

    /** The text of a gzipped body (read as ISO-8859-1 bytes), or why it is not valid gzip. */
    private static String gunzip(String body) {
        try (GZIPInputStream in = new GZIPInputStream(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "not gzip: " + e.getMessage();
        }
    }

    private static String normalise(String text, String name, int port) {
        return VERSIONED.matcher(text.replace(":" + port, ":PORT")).replaceAll("SERVER/VERSION")
                .replace(name.toLowerCase(Locale.ROOT), "SERVER");
    }

    /** nginx's error log so far, to see why it answered as it did. */
    public String nginxErrors() throws IOException {
        return nginx.errorLog();
    }

    @Override
    public void close() {
        try {
            zonesync.close();
        } finally {
            nginx.close();
        }
    }
}
