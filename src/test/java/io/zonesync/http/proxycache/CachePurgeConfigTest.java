package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import io.zonesync.testing.InJvmNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_cache_path}'s {@code sync} parameter is accepted, and a keys zone takes its name in
 * the one namespace of zones: a limit_req or keyval zone of the same name is refused at the later
 * line, in nginx's words (as nginx -t says it).
 */
class CachePurgeConfigTest {
    @TempDir
    Path dir;

    private ParsedConfig parse(String http) throws Exception {
        return InJvmNode.parse(dir, "events { }\nhttp { access_log off;\n" + http + "\nserver { listen 127.0.0.1:0;\n"
                + "location / { proxy_cache a; proxy_pass http://127.0.0.1:1; } }\n}\n");
    }

    @Test
    void syncIsAccepted() throws Exception {
        Node.check(parse("proxy_cache_path c levels=1:2 keys_zone=a:1m inactive=1m sync;"));
    }

    @Test
    void aKeysZoneSharesTheNamespaceOfZones() throws Exception {
        ParsedConfig parsed = parse("limit_req_zone $uri zone=a:1m rate=1r/s;\nproxy_cache_path c keys_zone=a:1m sync;");
        assertThatThrownBy(() -> Node.check(parsed)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("the shared memory zone \"a\" is already declared for a different use")
                .satisfies(e -> assertThat(((ConfigException) e).where().line()).isEqualTo(4));
    }
}
