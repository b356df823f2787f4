package io.zonesync.http.gzip;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gzip directives' bad values, each named with its FILE:LINE. */
class GzipConfigTest {
    @TempDir
    Path dir;

    private void compile(String directives) throws ConfigException {
        GzipModule gzip = new GzipModule();
        TestConfigs.compile("http { gzip on;\n" + directives + "\n server { listen 127.0.0.1:0; } }", dir,
                List.of(gzip), gzip);
    }

    @Test
    void badValuesAreRefusedWithTheirLine() {
        assertError("gzip_comp_level 10;", "the \"gzip_comp_level\" directive must be between 1 and 9");
        assertError("gzip_http_version 2.0;", "invalid value \"2.0\" in \"gzip_http_version\" directive");
        assertError("gzip_proxied sometimes;", "invalid value \"sometimes\" in \"gzip_proxied\" directive");
        assertError("gzip_disable \"(\";", "pcre_compile() failed");
        assertError("gzip_min_length lots;", "invalid value \"lots\"");
    }

    @Test
    void everyDirectiveCompilesWithAGoodValue() {
        assertThatCode(() -> compile("gzip_types text/css application/json; gzip_min_length 1k; gzip_comp_level 6;"
                + " gzip_vary on; gzip_proxied expired no-cache auth; gzip_http_version 1.0; gzip_disable msie6;"
                + " gzip_buffers 16 8k;")).doesNotThrowAnyException();
    }

    private void assertError(String directive, String message) {
        assertThatThrownBy(() -> compile(directive)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message).hasMessageContaining("t.conf:2");
    }
}
