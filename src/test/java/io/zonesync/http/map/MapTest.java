package io.zonesync.http.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import io.zonesync.http.core.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code map}: variables on either side in any order, and its configuration errors with FILE:LINE. */
class MapTest {
    @TempDir
    Path dir;
    @AutoClose
    private TestServer server;

    @Test
    void aMapMayUseVariablesDefinedAfterItAndBeUsedBeforeIt() throws Exception {
        server = TestServer.start(dir, "http { access_log off;\n"
                + " server { listen 127.0.0.1:0; set $tier gold; location / { return 200 \"$price\"; } }\n"
                + " map $tier $price { gold 10; default 99; } }");
        assertThat(server.get("/").body()).isEqualTo("10");
    }

    @Test
    void configurationErrorsNameTheLine() {
        assertError("map $arg_a $uri { a b; }", "the duplicate \"uri\" variable");
        assertError("map $arg_a x { a b; }", "invalid variable name \"x\"");
        assertError("map $arg_a $m {\n a b c; }", "invalid number of the map parameters", "t.conf:3");
        assertError("map $arg_a $m {\n a b; A c; }", "conflicting parameter \"A\"", "t.conf:3");
        assertError("map $arg_a $m {\n default b; default c; }", "duplicate default map parameter", "t.conf:3");
        assertError("map $arg_a $m {\n ~( b; }", "pcre_compile() failed", "t.conf:3");
        assertError("map $arg_a $m {\n a $nope; }", "unknown \"nope\" variable", "t.conf:3");
    }

    private void assertError(String map, String message) {
        assertError(map, message, "t.conf:2");
    }

    private void assertError(String map, String message, String where) {
        assertThatThrownBy(() -> TestConfigs.compile("http { server { listen 127.0.0.1:0; }\n" + map + " }", dir,
                List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(message).hasMessageContaining(where);
    }
}
