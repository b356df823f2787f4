package io.zonesync.http.tryfiles;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The try_files forms zonesync refuses, each named with its FILE:LINE. */
class TryFilesConfigTest {
    @TempDir
    Path dir;

    @Test
    void aBadCodeIsRefusedWithItsLine() {
        assertError("location / { try_files $uri =abc; }", "invalid code \"=abc\"");
        assertError("location / { try_files $uri =1000; }", "invalid code \"=1000\"");
    }

    private void assertError(String directive, String message) {
        assertThatThrownBy(() -> TestConfigs.compile("http { server { listen 127.0.0.1:0;\n" + directive + " } }",
                dir, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message).hasMessageContaining("t.conf:2");
    }
}
