package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Http;
import io.zonesync.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built launcher as an operator runs it: start, use over HTTP, QUIT, restart, crash, restart. */
class NodeProcessIT {

    @Test
    void quitExitsZeroAndTheStateFileBringsEveryKeyBackAfterARestartOrACrash(@TempDir Path dir) throws Exception {
        String config = """
                pid logs/zonesync.pid;
                error_log logs/error.log notice;
                events { worker_connections 64; }
                http {
                    keyval_zone zone=one:32k state=one.keyval sync;
                    keyval $arg_k $v zone=one;
                    server {
                        listen 127.0.0.1:0;
                        location / { return 200 "v=$v"; }
                        location /api { api write=on; }
                    }
                }
                """;
        try (NodeProcess node = NodeProcess.start(dir, config, 0)) {
            assertThat(node.http().post("/api/9/http/keyvals/one", "{\"a\":\"1\",\"b\":\"2\"}").statusCode()).isEqualTo(201);
            assertThat(node.http().get("/?k=a").body()).isEqualTo("v=1");

            node.signal("QUIT");
            assertThat(node.waitForExit()).as("exit status after QUIT").isZero();
            assertThat(Files.readString(dir.resolve("logs/error.log"))).contains("[notice]");
            assertThat(dir.resolve("logs/zonesync.pid")).doesNotExist();

            node.launch();
            assertThat(node.http().get("/api/9/http/keyvals/one").body()).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
            assertThat(node.http().patch("/api/9/http/keyvals/one", "{\"a\":null}").statusCode()).isEqualTo(204);
            assertThat(node.http().post("/api/9/http/keyvals/one", "{\"c\":\"3\"}").statusCode()).isEqualTo(201);

            node.kill9();
            node.launch();
            assertThat(node.http().get("/api/9/http/keyvals/one").body()).isEqualTo("{\"b\":\"2\",\"c\":\"3\"}");
            assertThat(node.http().get("/?k=c").body()).isEqualTo("v=3");
        }
    }

    @Test
    void aBrokenConfigurationExitsOneNamingFileAndLineAndStartsNothing(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/zonesync.conf"), "events { }\nhttp {\n    keyval_zone zone=one:1k;\n}\n");
        Process p = new ProcessBuilder(NodeProcess.LAUNCHER.toString(), "-p", dir.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(out).contains("zonesync: [emerg]").contains(dir.resolve("conf/zonesync.conf") + ":3");
    }
}
