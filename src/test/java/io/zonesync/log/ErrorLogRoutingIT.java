package io.zonesync.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.http.core.RawClient;
import io.zonesync.testing.Nginx;
import io.zonesync.testing.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code error_log} in http servers and locations, against Debian's nginx on the same
 * configuration: a request's error lines go to its location's logs, else its server's, else the
 * main ones, each log keeping its own level; the same requests land in the same files for both.
 * zonesync runs as a process, as an operator runs it, since routing lives in its error log setup.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorLogRoutingIT {
    private static final List<String> FILES = List.of("error.log", "logs/a.log", "logs/loc.log", "logs/quiet.log");
    private static final String HTTP = """
            access_log off;
            server {
                listen LISTEN;
                server_name a.test;
                root %1$s;
                error_log logs/a.log info;
                location /denied/ { deny all; }
                location /loc/ { error_log logs/loc.log warn; deny all; }
                location /quiet/ { error_log logs/quiet.log crit; deny all; }
                location /files/ { }
                location /quietfiles/ { log_not_found off; }
            }
            server {
                listen LISTEN;
                server_name b.test;
                location /denied/ { deny all; }
            }
            """;

    private Path dir;
    private Nginx nginx;
    private NodeProcess zonesync;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        Path html = Files.createDirectories(dir.resolve("html/files"));
        Files.createDirectories(dir.resolve("nginx/logs"));
        nginx = Nginx.start(dir.resolve("nginx"), HTTP.formatted(html));
        zonesync = NodeProcess.start(dir.resolve("zonesync"), "error_log error.log info;\nevents { }\nhttp {\n"
                + HTTP.formatted(html).replace("LISTEN", "127.0.0.1:0") + "}\n", 0);
    }

    @AfterAll
    void stop() throws Exception {
        if (zonesync != null) {
            zonesync.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    private static void get(String host, int port, String host0, String target) throws IOException {
        try (RawClient c = new RawClient(host, port)) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: " + host0 + "\r\nConnection: close\r\n\r\n");
            c.read();
        }
    }

    /** The logs under {@code prefix} that mention {@code mark}. */
    private static Set<String> filesWith(Path prefix, String mark) throws IOException {
        Set<String> found = new TreeSet<>();
        for (String f : FILES) {
            Path p = prefix.resolve(f);
            if (Files.exists(p) && Files.readString(p).contains(mark)) {
                found.add(f);
            }
        }
        return found;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a.test | /denied/mark1 | logs/a.log",
        "a.test | /loc/mark2    | logs/loc.log",
        "a.test | /files/mark3  | logs/a.log",
        "b.test | /denied/mark4 | error.log",
        "a.test | /files/       | logs/a.log",
        "a.test | /files/nodir/ | logs/a.log"})
    void theLinesOfARequestGoWhereNginxPutsThem(String host, String target, String expected) throws Exception {
        String mark = "\"GET " + target + " HTTP/1.1\"";
        String[] address = nginx.address().split(":");
        get(address[0], Integer.parseInt(address[1]), host, target);
        get("127.0.0.1", zonesync.httpPort(), host, target);
        await().atMost(Duration.ofSeconds(10)).until(() -> !filesWith(dir.resolve("nginx"), mark).isEmpty()
                && !filesWith(dir.resolve("zonesync"), mark).isEmpty());
        assertThat(filesWith(dir.resolve("nginx"), mark)).containsExactly(expected);
        assertThat(filesWith(dir.resolve("zonesync"), mark)).as("zonesync, as nginx").containsExactly(expected);
    }

    /**
     * A log whose level is above the request's lines gets none, and they go nowhere else; nor are
     * missing files logged under {@code log_not_found off}.
     */
    @ParameterizedTest
    @CsvSource({"/quiet/mark5", "/quietfiles/mark6"})
    void quietLocationsLogNothing(String target) throws Exception {
        String[] address = nginx.address().split(":");
        get(address[0], Integer.parseInt(address[1]), "a.test", target);
        get("127.0.0.1", zonesync.httpPort(), "a.test", target);
        String after = "/denied/after" + target.hashCode();
        get(address[0], Integer.parseInt(address[1]), "b.test", after);
        get("127.0.0.1", zonesync.httpPort(), "b.test", after);
        await().atMost(Duration.ofSeconds(10)).until(() -> !filesWith(dir.resolve("zonesync"), after).isEmpty()
                && !filesWith(dir.resolve("nginx"), after).isEmpty());
        String mark = "\"GET " + target + " HTTP/1.1\"";
        assertThat(filesWith(dir.resolve("nginx"), mark)).isEmpty();
        assertThat(filesWith(dir.resolve("zonesync"), mark)).isEmpty();
    }
}
