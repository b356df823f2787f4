package io.zonesync.http.ssi;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssi directives: bad values and the refused tuning directives, each named with its FILE:LINE. */
class SsiConfigTest {
    @TempDir
    Path dir;

    private void compile(String directives) throws ConfigException {
        SsiModule ssi = new SsiModule();
        TestConfigs.compile("http { ssi on;\n" + directives + "\n server { listen 127.0.0.1:0; location / { } } }", dir,
                List.of(ssi), ssi);
    }

    @Test
    void badValuesAndUnsupportedTuningAreRefusedWithTheirLine() {
        assertError("ssi_value_length lots;", "invalid value \"lots\"");
        assertError("ssi_silent_errors maybe;", "ssi_silent_errors");
        assertError("subrequest_output_buffer_size big;", "invalid value \"big\"");
        assertError("ssi_min_file_chunk 1k;", "\"ssi_min_file_chunk\" is not supported");
        assertError("ssi_ignore_recycled_buffers on;", "\"ssi_ignore_recycled_buffers\" is not supported");
    }

    @Test
    void everyDirectiveCompilesWithAGoodValue() {
        assertThatCode(() -> compile("ssi_types text/css *; ssi_silent_errors on; ssi_value_length 1k;"
                + " ssi_last_modified on; subrequest_output_buffer_size 8k;")).doesNotThrowAnyException();
    }

    private void assertError(String directive, String message) {
        assertThatThrownBy(() -> compile(directive)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message).hasMessageContaining("t.conf:2");
    }
}
