package io.zonesync.http.vars;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Core variables whose values depend on the bytes of the request, against Debian's nginx:
 * {@code $request_length} (line, header and body as sent, chunk framing included), the
 * connection's serial request count, {@code $pipe}, and the shape of the time and TCP variables.
 */
class CoreVariablesDifferentialIT extends DifferentialSuite {

    @Override
    protected Differential start(Path dir) throws Exception {
        return Differential.start(dir, """
                access_log off;
                map $request_time $time_shape { "~^[0-9]+\\.[0-9]{3}$" ok; default bad; }
                map $connection_time $conn_shape { "~^[0-9]+\\.[0-9]{3}$" ok; default bad; }
                map $msec $msec_shape { "~^[0-9]{10}\\.[0-9]{3}$" ok; default bad; }
                map $tcpinfo_rtt $rtt_shape { "~^[0-9]+$" number; default none; }
                server {
                    listen LISTEN;
                    location / {
                        return 200 "length=$request_length requests=$connection_requests time=$time_shape connection_time=$conn_shape msec=$msec_shape pipe=$pipe completion=[$request_completion] trailer=[$sent_trailer_x] file=[$request_body_file] rtt=$rtt_shape\\n";
                    }
                }
                """);
    }

    static List<String> requests() {
        return List.of(
                "GET / HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n",
                "GET /bare-lf HTTP/1.1\nHost: diff.test\nX-Long: " + "v".repeat(300) + "\nConnection: close\n\n",
                "GET /ten HTTP/1.0\r\n\r\n",
                "POST /body HTTP/1.1\r\nHost: diff.test\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world",
                "POST /chunked HTTP/1.1\r\nHost: diff.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
                "GET /first HTTP/1.1\r\nHost: diff.test\r\n\r\nGET /second?a=b HTTP/1.1\r\nHost: diff.test\r\n"
                        + "Connection: close\r\n\r\n");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void valuesAsNginxGivesThem(String request) throws Exception {
        assertSameAnswers(servers.both(request), request);
    }
}
