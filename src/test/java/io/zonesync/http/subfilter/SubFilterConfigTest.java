package io.zonesync.http.subfilter;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sub_filter directives' bad values, each named with its FILE:LINE. */
class SubFilterConfigTest {
    @TempDir
    Path dir;

    private void compile(String directives) throws ConfigException {
        SubFilterModule sub = new SubFilterModule();
        TestConfigs.compile("http {\n" + directives + "\n server { listen 127.0.0.1:0; location / { } } }", dir, List.of(sub),
                sub);
    }

    @Test
    void anEmptyPatternIsRefusedWithItsLine() {
        assertThatThrownBy(() -> compile("sub_filter \"\" x;")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("empty search pattern").hasMessageContaining("t.conf:2");
        assertThatThrownBy(() -> compile("sub_filter_once maybe;")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.conf:2");
    }

    @Test
    void everyDirectiveCompilesWithAGoodValue() {
        assertThatCode(() -> compile("sub_filter a b; sub_filter $host \"[$uri]\"; sub_filter_once off;"
                + " sub_filter_types text/css *; sub_filter_last_modified on;")).doesNotThrowAnyException();
    }
}
