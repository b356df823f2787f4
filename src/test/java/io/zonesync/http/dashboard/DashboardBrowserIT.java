package io.zonesync.http.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.InJvmNode;
import io.zonesync.testing.NodeProcess;
import io.zonesync.testing.TestDnsServer;
import io.zonesync.testing.TestPki;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.logging.Level;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real browser (Debian's chromium, headless, through chromedriver) on node 0 of
 * a cluster of three {@code bin/zonesync} processes: it loads without a console error, shows the
 * three nodes online with their links' lag, the synced zones with their sizes and sticky sessions,
 * and the upstream, and shows a node down within seconds of that node's {@code kill -9}; and on a
 * node with status zones, a TLS listener, a resolver status zone and two event loops, those figures.
 */
class DashboardBrowserIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private HeldPort held;
    private ChromeDriver browser;
    private final List<LogEntry> console = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        for (NodeProcess n : nodes) {
            n.close();
        }
        if (held != null) {
            held.close();
        }
    }

    /** Node {@code index}: zone_sync on 127.0.0.{index + 2} at the held port, HTTP on 127.0.0.1:0. */
    private String config(int index) {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            servers.append("        zone_sync_server 127.0.0.").append(i + 2).append(':').append(held.port()).append(";\n");
        }
        return """
                events { }
                error_log stderr error;
                http {
                    access_log off;
                    keyval_zone zone=sessions:1m sync;
                    limit_req_zone $remote_addr zone=perip:1m rate=10r/s sync;
                    upstream backend {
                        zone backend 64k;
                        server 127.0.0.1:9 max_fails=0;
                        sticky learn create=$upstream_cookie_sid lookup=$cookie_sid zone=learned:1m sync;
                    }
                    server {
                        listen 127.0.0.1:0;
                        location = /dashboard.html { dashboard; }
                        location /api { api; }
                        location / { limit_req zone=perip; root %s; }
                    }
                }
                stream {
                    server {
                        listen 127.0.0.%d:%d;
                        zone_sync;
                        zone_sync_connect_retry_interval 100ms;
                %s    }
                }
                """.formatted(dir.resolve("www"), index + 2, held.port(), servers);
    }

    private ChromeDriver openBrowser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // as root chromium runs only without its sandbox; a profile of its own, deleted with the test
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--user-data-dir=" + Files.createDirectory(dir.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private List<LogEntry> consoleErrors() {
        console.addAll(browser.manage().logs().get(LogType.BROWSER).getAll());
        return console.stream().filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    }

    private String text(String css) {
        return readRendered(() -> browser.findElement(By.cssSelector(css)).getText());
    }

    /** The text of each cell of each row {@code css} selects, read together. */
    private List<List<String>> cells(String css) {
        return readRendered(() -> browser.findElements(By.cssSelector(css)).stream()
                .map(row -> row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
                .toList());
    }

    /**
     * Reads from the page, again if it redrew what was being read in between (it redraws its tables
     * every second, and an element found just before is then gone).
     */
    private static <T> T readRendered(Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private int onlinePeers(int node) throws Exception {
        return JSON.readTree(nodes.get(node).http().get("/api/9/stream/zone_sync/").body())
                .path("status").path("nodes_online").asInt();
    }

    @Test
    void showsTheClusterLiveAndANodeDownSecondsAfterItIsKilled() throws Exception {
        Files.writeString(Files.createDirectory(dir.resolve("www")).resolve("index.html"), "ok");
        held = new HeldPort();
        for (int i = 0; i < 3; i++) {
            nodes.add(NodeProcess.start(dir.resolve("n" + i), config(i), 0));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> onlinePeers(0) == 2 && onlinePeers(1) == 2 && onlinePeers(2) == 2);
        assertThat(nodes.get(0).http().get("/").statusCode()).isEqualTo(200);

        browser = openBrowser();
        browser.get("http://127.0.0.1:" + nodes.get(0).httpPort() + "/dashboard.html");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(text("#nodes-online")).isEqualTo("3");
            assertThat(browser.findElements(By.cssSelector("#peers tr[data-status=online]"))).hasSizeGreaterThanOrEqualTo(3);
        });
        assertThat(text("#zone-table tr[data-zone=sessions]")).startsWith("sessions keyval 0 0").contains(" 1.0 MiB ");
        assertThat(text("#zone-table tr[data-zone=perip]")).startsWith("perip limit_req");
        // a sticky learn zone: its sessions held and the most it can hold (1 MB: 4080)
        assertThat(text("#zone-table tr[data-zone=learned]")).startsWith("learned sticky").endsWith(" 0 / 4,080");
        // each online link: its lag (nothing owed: 0.0) and its round trip
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(readRendered(() ->
                browser.findElements(By.cssSelector("#peers tr[data-status=online] td.lag")).stream()
                        .map(WebElement::getText).toList()))
                .hasSizeGreaterThanOrEqualTo(2).allSatisfy(lag -> assertThat(lag).isEqualTo("0.0")));
        // the launcher's readiness probe went through "/" too: the row shows what the API counts
        int passed = JSON.readTree(nodes.get(0).http().get("/api/9/http/limit_reqs/perip").body()).path("passed").asInt();
        assertThat(passed).isPositive();
        assertThat(text("#limit-req-table tr[data-zone=perip]")).startsWith("perip " + passed + " 0 0");
        assertThat(text("#upstream-table tr[data-server='127.0.0.1:9']")).startsWith("http backend 127.0.0.1:9 up");
        // the charts are drawn: one uPlot canvas per chart
        assertThat(browser.findElements(By.cssSelector(".charts .uplot canvas"))).hasSize(4);
        assertThat(text("#error")).isEmpty();

        String stopped = "127.0.0.4:" + held.port();
        String row = "#peers tr[data-address='" + stopped + "']";
        assertThat(readRendered(() -> browser.findElements(By.cssSelector(row)).stream()
                .map(r -> r.getAttribute("data-status")).toList()))
                .isNotEmpty().allSatisfy(status -> assertThat(status).isEqualTo("online"));
        nodes.get(2).kill9();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(text("#nodes-online")).isEqualTo("2");
            assertThat(readRendered(() -> browser.findElement(By.cssSelector(row)).getAttribute("data-status")))
                    .isEqualTo("down");
            assertThat(text(row + " td.error")).as("last error").isNotEmpty();
        });
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void aNodeWithoutZoneSyncShowsItselfAloneWithoutErrors() throws Exception {
        InJvmNode node = InJvmNode.start(dir.resolve("alone"), """
                events { }
                error_log stderr error;
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:0;
                        location /ops/ { dashboard /status/api/9; }
                        location /status/api { api; }
                    }
                }
                """);
        try {
            browser = openBrowser();
            browser.get("http://127.0.0.1:" + node.httpPort() + "/ops/");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(text("#updated")).startsWith("updated ");
                assertThat(text("#nodes-online")).isEqualTo("1");
            });
            assertThat(text("#peers tbody")).isEqualTo("no zone_sync server on this node");
            assertThat(text("#zone-table tbody")).isEqualTo("no zone_sync server on this node");
            assertThat(text("#limit-req-table tbody")).isEqualTo("no limit_req zone");
            assertThat(text("#upstream-table tbody")).isEqualTo("no upstream group has a zone");
            assertThat(text("#server-zone-table tbody")).isEqualTo("no http server has a status_zone");
            assertThat(text("#stream-zone-table tbody")).isEqualTo("no stream server has a status_zone");
            assertThat(text("#resolver-table tbody")).isEqualTo("no resolver has a status_zone");
            assertThat(text("#ssl-table tr[data-ssl=node]")).isEqualTo("0 0 0");
            assertThat(browser.findElements(By.cssSelector("#worker-table tr[data-worker]"))).hasSize(1);
            assertThat(text("#error")).isEmpty();
            assertThat(consoleErrors()).isEmpty();
        } finally {
            node.close();
        }
    }

    @Test
    void showsStatusZonesHandshakesResolversAndWorkersWithTheirFigures() throws Exception {
        TestPki pki = TestPki.ca("dashboard-ca");
        TestPki.writePair(pki.issue("node", "127.0.0.2"), dir.resolve("node.pem"), dir.resolve("node.key"));
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.records("ok.test", 300, "127.0.0.1");
            InJvmNode node = InJvmNode.start(dir, """
                    worker_processes 2;
                    events { }
                    error_log stderr error;
                    http {
                        access_log off;
                        resolver 127.0.0.1:%d ipv6=off status_zone=dns;
                        server {
                            listen 127.0.0.1:0;
                            location = /dashboard.html { dashboard; }
                            location /api { api; }
                        }
                        server {
                            listen 127.0.0.2:0 ssl;
                            status_zone front;
                            ssl_certificate node.pem;
                            ssl_certificate_key node.key;
                            location / { return 200 "ok"; }
                            location /p/ { proxy_pass http://$arg_h:1; }
                        }
                    }
                    stream {
                        server { listen 127.0.0.3:0; status_zone tcp; return "hi"; }
                    }
                    """.formatted(dns.address().getPort()));
            try {
                SSLContext trusting = SSLContext.getInstance("TLS");
                trusting.init(null, TestPki.trusting(pki.ca.cert()), null);
                HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting).build();
                String front = "https://127.0.0.2:" + node.httpPort("127.0.0.2:0");
                assertThat(https.send(HttpRequest.newBuilder(URI.create(front + "/")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                // the name is looked up (one query, answered), then the connection to port 1 fails: 502
                assertThat(https.send(HttpRequest.newBuilder(URI.create(front + "/p/?h=ok.test")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(502);
                int tcp = ((InetSocketAddress) node.node.streamAddresses().get("127.0.0.3:0")).getPort();
                try (Socket s = new Socket("127.0.0.3", tcp)) {
                    assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hi");
                }

                browser = openBrowser();
                browser.get("http://127.0.0.1:" + node.httpPort("127.0.0.1:0") + "/dashboard.html");
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    // zone, processing, requests, requests/s, then 1xx to 5xx
                    assertThat(text("#error")).isEmpty();
                    assertThat(text("#server-zone-table tbody")).startsWith("front 0 2 ");
                    assertThat(text("#server-zone-table tr[data-zone=front]")).startsWith("front 0 2 ")
                            .contains(" 0 1 0 0 1 ");
                    // zone, processing, connections, connections/s, then 2xx 4xx 5xx
                    assertThat(text("#stream-zone-table tr[data-zone=tcp]")).matches("tcp 0 1 \\S+ 1 0 0 .*");
                });
                // one handshake per connection the client opened (it may have reused the first)
                String ssl = text("#ssl-table tr[data-ssl=node]");
                assertThat(ssl).matches("[12] 0 [01] .*");
                assertThat(text("#resolver-table tr[data-zone=dns]")).startsWith("dns 1 / 0 / 0 ")
                        .endsWith(" 1 0 0 0 0");
                List<List<String>> workers = cells("#worker-table tr[data-worker]");
                assertThat(workers).hasSize(2);
                long pid = ProcessHandle.current().pid();
                long accepted = 0;
                for (List<String> w : workers) {
                    assertThat(w.get(1)).isEqualTo(Long.toString(pid));
                    accepted += Long.parseLong(w.get(2).replace(",", ""));
                }
                // the https client's, the stream client's, the browser's and the page's API reads
                assertThat(accepted).isGreaterThanOrEqualTo(3);
                assertThat(text("#error")).isEmpty();
                assertThat(consoleErrors()).isEmpty();
            } finally {
                node.close();
            }
        }
    }
}
