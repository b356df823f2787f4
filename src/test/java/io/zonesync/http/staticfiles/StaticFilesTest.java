package io.zonesync.http.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.http.core.HttpRuntime;
import io.zonesync.http.core.RawClient;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {
    @TempDir
    Path dir;
    private HttpRuntime runtime;
    private int port;

    @BeforeEach
    void start() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("a.css"), "body{}");
        Files.writeString(www.resolve("noext"), "raw");
        Files.setLastModifiedTime(www.resolve("a.css"), FileTime.fromMillis(1_700_000_000_000L));
        Files.createDirectories(www.resolve("withindex"));
        Files.writeString(www.resolve("withindex/index.html"), "<p>index</p>");
        Files.createDirectories(www.resolve("empty"));
        Files.createDirectories(www.resolve("second"));
        Files.writeString(www.resolve("second/home.htm"), "home");
        Files.writeString(www.resolve("caf\u00e9.txt"), "utf8 name");
        Files.writeString(dir.resolve("secret.txt"), "outside the root");
        runtime = HttpRuntime.start(TestConfigs.compile("http { access_log off; default_type application/x-default;\n"
                + " server { listen 127.0.0.1:0; root www;\n"
                + "  location /second/ { index missing.html home.htm; }\n"
                + "  location /j { alias " + www + "/; } } }", dir, List.of()));
        port = runtime.boundPort("127.0.0.1:0");
    }

    @AfterEach
    void stop() {
        runtime.shutdownNow();
    }

    private RawClient.Response request(String method, String path, String... headers) throws Exception {
        try (RawClient c = new RawClient(port)) {
            return c.send(method + " " + path + " HTTP/1.1\r\nHost: t\r\n" + String.join("", headers)
                    + "Connection: close\r\n\r\n").read(method.equals("HEAD"));
        }
    }

    @Test
    void servesFilesWithTypeLengthAndDates() throws Exception {
        RawClient.Response r = request("GET", "/a.css");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("body{}");
        assertThat(r.header("content-type")).isEqualTo("text/css");
        assertThat(r.header("content-length")).isEqualTo("6");
        assertThat(r.header("last-modified")).isEqualTo("Tue, 14 Nov 2023 22:13:20 GMT");
        assertThat(r.header("etag")).isNotBlank();
        assertThat(request("GET", "/noext").header("content-type")).isEqualTo("application/x-default");
        assertThat(request("GET", "/caf%C3%A9.txt").body()).isEqualTo("utf8 name");
    }

    @Test
    void headSendsHeadersOnlyAndConditionalGetsNotModified() throws Exception {
        RawClient.Response h = request("HEAD", "/a.css");
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.header("content-length")).isEqualTo("6");
        assertThat(h.body()).isEmpty();
        RawClient.Response nm = request("GET", "/a.css", "If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT\r\n");
        assertThat(nm.status()).isEqualTo(304);
        assertThat(nm.body()).isEmpty();
    }

    @Test
    void directoriesIndexesAndMethods() throws Exception {
        RawClient.Response redirect = request("GET", "/withindex?x=1");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("location")).isEqualTo("http://t:" + port + "/withindex/?x=1");
        assertThat(request("GET", "/withindex/").body()).isEqualTo("<p>index</p>");
        assertThat(request("GET", "/withindex/").header("content-type")).isEqualTo("text/html");
        assertThat(request("GET", "/second/").body()).isEqualTo("home");
        assertThat(request("GET", "/empty/").status()).isEqualTo(403);
        assertThat(request("GET", "/nothere/").status()).isEqualTo(404);
        assertThat(request("GET", "/nothere.txt").status()).isEqualTo(404);
        assertThat(request("POST", "/a.css").status()).isEqualTo(405);
        assertThat(request("DELETE", "/a.css").status()).isEqualTo(405);
        assertThat(request("POST", "/nothere.txt").status()).isEqualTo(404);
    }

    @Test
    void nothingOutsideTheRootIsReachable() throws Exception {
        assertThat(request("GET", "/../secret.txt").status()).isEqualTo(400);
        assertThat(request("GET", "/%2e%2e/secret.txt").status()).isEqualTo(400);
        assertThat(request("GET", "/withindex/..%2f..%2fsecret.txt").status()).isEqualTo(400);
        assertThat(request("GET", "/withindex/../a.css").body()).isEqualTo("body{}");
    }

    @Test
    void aUriCannotClimbOutOfAnAliasThatLacksItsTrailingSlash() throws Exception {
        assertThat(request("GET", "/j/a.css").status()).isEqualTo(200);
        // nginx would serve www/../secret.txt here
        assertThat(request("GET", "/j../secret.txt").status()).isEqualTo(404);
    }
}
