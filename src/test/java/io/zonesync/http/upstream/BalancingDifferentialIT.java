package io.zonesync.http.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.Nginx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The balancing methods against Debian's nginx in front of the same four backends (one nginx
 * listening on four addresses, answering with the address it was reached at): {@code hash} and
 * {@code hash ... consistent} must send every key to the server nginx sends it to, with weights and
 * with a server {@code down} (which makes both rehash); {@code least_conn} and {@code ip_hash} must
 * make the same choices for the same sequence of requests; two upstreams sharing one {@code zone}
 * (as nginx allows) balance as nginx does.
 */
class BalancingDifferentialIT extends DifferentialSuite {
    private Nginx backend;
    private HeldPort port;

    @Override
    protected Differential start(Path dir) throws Exception {
        port = new HeldPort();
        int p = port.port();
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                server {
                    listen LISTEN; listen 127.0.0.3:%1$d; listen 127.0.0.4:%1$d; listen 127.0.0.5:%1$d;
                    location / { return 200 "$server_addr:$server_port\\n"; }
                }
                """.formatted(p));
        String a = backend.address();
        String servers = "server %s; server 127.0.0.3:%d weight=2; server 127.0.0.4:%d; server 127.0.0.5:%d;"
                .formatted(a, p, p, p);
        String withDown = "server %s; server 127.0.0.3:%d down; server 127.0.0.4:%d weight=3; server 127.0.0.5:%d;"
                .formatted(a, p, p, p);
        return Differential.start(dir, """
                access_log off;
                upstream hashed { hash $arg_k; %1$s }
                upstream ketama { hash $arg_k consistent; %1$s }
                upstream hashed_down { hash $arg_k; %2$s }
                upstream ketama_down { hash "$arg_k-x" consistent; %2$s }
                upstream least { least_conn; %1$s }
                upstream client { ip_hash; %1$s }
                upstream zoned { zone shared 64k; %1$s }
                upstream zoned_too { zone shared; server 127.0.0.4:%3$d; }
                server {
                    listen LISTEN;
                    location /hashed { proxy_pass http://hashed; }
                    location /ketama { proxy_pass http://ketama; }
                    location /hdown { proxy_pass http://hashed_down; }
                    location /kdown { proxy_pass http://ketama_down; }
                    location /least { proxy_pass http://least; }
                    location /client { proxy_pass http://client; }
                    location /zoned { proxy_pass http://zoned; }
                    location /ztoo { proxy_pass http://zoned_too; }
                }
                """.formatted(servers, withDown, p));
    }

    @AfterAll
    void stopBackend() throws IOException {
        if (backend != null) {
            backend.close();
        }
        if (port != null) {
            port.close();
        }
    }

    static List<String> keys() {
        return IntStream.range(0, 40).mapToObj(i -> i % 3 == 0 ? "user" + i : i % 3 == 1 ? "10.1.2." + i
                : "/path/to/object/" + (i * 7919)).toList();
    }

    @ParameterizedTest
    @MethodSource("keys")
    void hashedKeysLandWhereNginxSendsThem(String key) throws Exception {
        for (String location : List.of("/hashed", "/ketama", "/hdown", "/kdown")) {
            String target = location + "?k=" + key;
            assertSameAnswers(servers.get(target), target);
        }
    }

    @Test
    void keysSpreadOverEveryServerAndDownOnesGetNone() throws Exception {
        Set<String> hashed = new HashSet<>();
        Set<String> down = new HashSet<>();
        for (String key : keys()) {
            hashed.add(servers.get("/ketama?k=" + key).zonesync().body());
            down.add(servers.get("/kdown?k=" + key).zonesync().body());
        }
        assertThat(hashed).hasSize(4);
        assertThat(down).hasSize(3).noneMatch(s -> s.startsWith("127.0.0.3:"));
    }

    @Test
    void leastConnAndIpHashChooseAsNginxDoes() throws Exception {
        for (int i = 0; i < 12; i++) {
            assertSameAnswers(servers.get("/least?i=" + i), "/least #" + i);
            assertSameAnswers(servers.get("/client?i=" + i), "/client #" + i);
        }
    }

    @Test
    void upstreamsSharingAZoneBalanceAsNginxDoes() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertSameAnswers(servers.get("/zoned?i=" + i), "/zoned #" + i);
            assertSameAnswers(servers.get("/ztoo?i=" + i), "/ztoo #" + i);
        }
    }
}
