package io.zonesync.http.core;


import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How requests are read, against Debian's nginx: line endings, the target's forms, Host and its variables. */
class RequestParsingDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        return Differential.start(dir, """
                access_log off;
                server {
                    listen LISTEN;
                    location / { return 200 "host=$host uri=$uri args=$args request_uri=$request_uri http_host=$http_host"; }
                }
                """);
    }

    static List<String> requests() {
        return List.of(
                "GET /bare-lf HTTP/1.1\nHost: diff.test\nConnection: close\n\n",
                "GET /crlf?a=1 HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n",
                "GET http://other.test/abs?x=1 HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n",
                "GET http://Other.Test:8080/abs HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n",
                "GET /case HTTP/1.1\r\nHost: Diff.TEST:80\r\nConnection: close\r\n\r\n",
                "GET /trailing-dot HTTP/1.1\r\nHost: diff.test.\r\nConnection: close\r\n\r\n",
                "GET /bad HTTP/1.1\r\nHost: bad host\r\nConnection: close\r\n\r\n",
                "GET /bad HTTP/1.1\r\nHost: a/b\r\nConnection: close\r\n\r\n",
                "GET /none HTTP/1.1\r\nConnection: close\r\n\r\n",
                "GET /ten HTTP/1.0\r\n\r\n",
                "GET /a/../b/./c//d HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n",
                "GET /%41%42?q=%41 HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n",
                "GET /../up HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n",
                "GET /x HTTP/1.1\r\nHost: diff.test\r\nHost: other.test\r\nConnection: close\r\n\r\n");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void readsAsNginxReads(String request) throws Exception {
        Differential.Pair p = servers.both(request);
        assertSameAnswers(p, request);
    }
}
