package io.zonesync.http.limitconn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import io.zonesync.net.LimitConnZones;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** limit_conn's configuration errors in nginx's words. */
class LimitConnTest {
    @TempDir
    Path dir;

    private void assertError(String http, String message) {
        LimitConnModule m = new LimitConnModule(LimitConnZones.NONE);
        assertThatThrownBy(() -> TestConfigs.compile("http { " + http + " }", dir, List.of(m), m))
                .isInstanceOf(ConfigException.class).hasMessage(message + " in t.conf:1");
    }

    @Test
    void configurationErrorsAreNginxs() {
        String zone = "limit_conn_zone $binary_remote_addr zone=a:1m; ";
        assertError(zone + "server { listen 127.0.0.1:0; limit_conn b 1; }", "zero size shared memory zone \"b\"");
        assertError("limit_conn_zone $binary_remote_addr zone=a:1k;", "zone \"zone=a:1k\" is too small");
        assertError(zone + "server { listen 127.0.0.1:0; limit_conn a 0; }", "invalid number of connections \"0\"");
        assertError(zone + "server { listen 127.0.0.1:0; limit_conn a x; }", "invalid number of connections \"x\"");
        assertError(zone + "server { listen 127.0.0.1:0; limit_conn a 1; limit_conn a 2; }",
                "\"limit_conn\" directive is duplicate");
        assertError(zone + "limit_conn_zone $remote_addr zone=a:1m;",
                "limit_conn_zone \"a\" is already bound to key \"$binary_remote_addr\"");
        assertError("limit_conn_status 399; server { listen 127.0.0.1:0; }", "value must be between 400 and 599");
        assertError("limit_conn_log_level crit; server { listen 127.0.0.1:0; }", "invalid value \"crit\"");
    }
}
