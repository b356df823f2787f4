package io.zonesync.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus}) for end-to-end tests: one scrape job over
 * the given targets every second, its data in a directory of the test's, listening on 127.0.0.1 at
 * a port the kernel chose (found in /proc); {@link #query} runs PromQL through its HTTP API.
 */
public final class Prometheus implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient client = HttpClient.newHttpClient();

    private Prometheus(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts Prometheus in {@code dir}, scraping {@code path} of each {@code host:port} target. */
    public static Prometheus start(Path dir, String path, List<String> targets) throws IOException {
        StringBuilder list = new StringBuilder();
        for (String t : targets) {
            list.append(list.length() == 0 ? "" : ", ").append('\'').append(t).append('\'');
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: zonesync
                    metrics_path: %s
                    static_configs:
                      - targets: [%s]
                """.formatted(path, list));
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = await().atMost(Duration.ofSeconds(30))
                    .until(() -> ListeningSockets.ports(p.pid(), "127.0.0.1"), ports -> !ports.isEmpty() || !p.isAlive())
                    .stream().findFirst().orElseThrow(() -> new IllegalStateException("prometheus exited: " + tail(log)));
            Prometheus prometheus = new Prometheus(p, log, port);
            await().atMost(Duration.ofSeconds(30)).until(prometheus::ready);
            return prometheus;
        } catch (RuntimeException | Error e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static String tail(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private boolean ready() {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The instant vector of {@code promql} now: each series' {@code instance} label to its value. */
    public Map<String, Double> query(String promql) {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                throw new IllegalStateException("query " + promql + ": " + r.statusCode() + " " + r.body());
            }
            Map<String, Double> out = new LinkedHashMap<>();
            for (JsonNode series : body.path("data").path("result")) {
                out.put(series.path("metric").path("instance").asText(), series.path("value").get(1).asDouble());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What Prometheus logged, for a failing test's message. */
    public String log() {
        return tail(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
