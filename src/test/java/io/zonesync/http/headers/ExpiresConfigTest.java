package io.zonesync.http.headers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The expires forms zonesync refuses, each named with its FILE:LINE. */
class ExpiresConfigTest {
    @TempDir
    Path dir;

    @Test
    void unsupportedOrMalformedFormsAreRefusedWithTheirLine() {
        assertError("expires $arg_t;", "\"expires $arg_t\" is not supported");
        assertError("expires @15h30m;", "\"expires @15h30m\" is not supported");
        assertError("expires modified;", "invalid number of arguments in \"expires\" directive");
        assertError("expires soon;", "invalid value \"soon\"");
    }

    private void assertError(String directive, String message) {
        assertThatThrownBy(() -> TestConfigs.compile("http { server { listen 127.0.0.1:0;\n" + directive + " } }",
                dir, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message).hasMessageContaining("t.conf:2");
    }
}
