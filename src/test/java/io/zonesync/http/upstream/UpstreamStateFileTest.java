package io.zonesync.http.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigParser;
import io.zonesync.config.Directive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state file written from servers reads back as the same servers, in nginx's {@code server} line format. */
class UpstreamStateFileTest {
    @TempDir
    Path dir;

    private static List<ServerSpec> specs(String lines) throws Exception {
        List<ServerSpec> out = new ArrayList<>();
        for (Directive d : ConfigParser.parseString(lines, "t.conf").directives()) {
            out.addAll(ServerSpec.parse(d, "u"));
        }
        return out;
    }

    @Test
    void writesNginxServerLinesAndReadsThemBack() throws Exception {
        List<ServerSpec> servers = specs("server 10.0.0.1:8080 weight=2 max_conns=5 max_fails=0 fail_timeout=1500ms"
                + " slow_start=30s route=a down;\n"
                + "server 10.0.0.2:80 backup drain;\n"
                + "server backends.test service=http resolve;\n");
        Path file = dir.resolve("u.state");
        UpstreamStateFile.write(file, servers);
        assertThat(Files.readString(file)).isEqualTo("""
                server 10.0.0.1:8080 weight=2 max_conns=5 max_fails=0 fail_timeout=1500ms slow_start=30s route=a down;
                server 10.0.0.2:80 backup drain;
                server backends.test service=http resolve;
                """);
        Directive state = new Directive("state", List.of("u.state"), null, null);
        List<ServerSpec> back = new ArrayList<>();
        for (Directive d : UpstreamStateFile.read(file, state)) {
            back.addAll(ServerSpec.parse(d, "u"));
        }
        assertThat(back).hasSize(3);
        for (int i = 0; i < 3; i++) {
            ServerSpec a = servers.get(i);
            ServerSpec b = back.get(i);
            assertThat(b.address()).isEqualTo(a.address());
            assertThat(List.of(b.weight(), b.maxConns(), b.maxFails())).isEqualTo(List.of(a.weight(), a.maxConns(),
                    a.maxFails()));
            assertThat(List.of(b.failTimeoutMs(), b.slowStartMs())).isEqualTo(List.of(a.failTimeoutMs(), a.slowStartMs()));
            assertThat(List.of(b.backup(), b.down(), b.drain(), b.resolve())).isEqualTo(List.of(a.backup(), a.down(),
                    a.drain(), a.resolve()));
            assertThat(b.route()).isEqualTo(a.route());
            assertThat(b.service()).isEqualTo(a.service());
        }
        assertThat(UpstreamStateFile.read(dir.resolve("missing.state"), state)).isEmpty();
    }
}
