package io.zonesync.http.authrequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration errors of auth_request_set and satisfy, in nginx's words, at their line. */
class AuthRequestConfigTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auth_request_set x y;|invalid variable name \"x\"",
        "auth_request_set $uri y;|the duplicate \"uri\" variable",
        "auth_request_set $a $nope;|unknown \"nope\" variable",
        "satisfy maybe;|invalid value \"maybe\"",
    })
    void errorsNameTheDirectiveAndItsLine(String directive, String message) {
        AuthRequestModule auth = new AuthRequestModule();
        ConfigException e = catchThrowableOfType(() -> TestConfigs.compile("http {\n server { listen 127.0.0.1:0;\n"
                + "  location / {\n   " + directive + "\n  }\n }\n}\n", dir, List.of(auth), auth),
                ConfigException.class);
        assertThat(e).isNotNull();
        assertThat(e.detail()).isEqualTo(message);
        assertThat(e.where().line()).isEqualTo(4);
    }
}
