package io.zonesync.http.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration errors of mirror and mirror_request_body, in nginx's words, at their line. */
class MirrorConfigTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mirror /m; mirror off;|\"mirror\" directive is duplicate",
        "mirror off; mirror /m;|\"mirror\" directive is duplicate",
        "mirror off; mirror off;|\"mirror\" directive is duplicate",
        "mirror_request_body maybe;|invalid value \"maybe\" in \"mirror_request_body\" directive, it must be \"on\" or \"off\"",
    })
    void errorsNameTheDirectiveAndItsLine(String directives, String message) {
        MirrorModule mirror = new MirrorModule();
        ConfigException e = catchThrowableOfType(() -> TestConfigs.compile("http {\n server { listen 127.0.0.1:0;\n"
                + "  location / {\n   " + directives + "\n  }\n }\n}\n", dir, List.of(mirror), mirror),
                ConfigException.class);
        assertThat(e).isNotNull();
        assertThat(e.detail()).isEqualTo(message);
        assertThat(e.where().line()).isEqualTo(4);
    }
}
