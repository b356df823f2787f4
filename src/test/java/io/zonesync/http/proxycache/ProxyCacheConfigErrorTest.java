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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration errors of the proxy cache directives, in nginx's words (checked with nginx -t), with FILE:LINE. */
class ProxyCacheConfigErrorTest {
    @TempDir
    Path dir;

    private ParsedConfig parse(String http, String location) throws Exception {
        return InJvmNode.parse(dir, "events { }\nhttp { access_log off;\n" + http + "\nserver { listen 127.0.0.1:0;\n"
                + "location / { " + location + " proxy_pass http://127.0.0.1:1; } }\n}\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "proxy_cache_path c keys_zone=a:1m;|proxy_cache b;|\"proxy_cache\" zone \"b\" is unknown|5",
        "proxy_cache_path c keys_zone=a:1m; proxy_cache_path d keys_zone=a:1m;|proxy_cache a;|duplicate zone \"a\"|3",
        "proxy_cache_path c levels=3 keys_zone=a:1m;|proxy_cache a;|invalid \"levels\" \"levels=3\"|3",
        "proxy_cache_path c levels=1:2:2:1 keys_zone=a:1m;|proxy_cache a;|invalid \"levels\" \"levels=1:2:2:1\"|3",
        "proxy_cache_path c inactive=1m;|proxy_cache a;|\"proxy_cache_path\" must have \"keys_zone\" parameter|3",
        "proxy_cache_path c keys_zone=a:1m bogus=1;|proxy_cache a;|invalid parameter \"bogus=1\"|3",
        "proxy_cache_path c keys_zone=a:1m loader_files=10;|proxy_cache a;|\"loader_files\" is not supported|3",
        "proxy_cache_path c keys_zone=a:1m use_temp_path=on;|proxy_cache a;|\"use_temp_path=on\" is not supported|3",
        "proxy_cache_path c keys_zone=a:1m;|proxy_cache a; proxy_cache_use_stale bogus;|invalid value \"bogus\"|5",
        "proxy_cache_path c keys_zone=a:1m;|proxy_cache a; proxy_cache_lock_timeout x;|invalid value \"x\"|5",
        "proxy_cache_path c keys_zone=a:1m;|proxy_cache a; proxy_cache_lock maybe;|invalid value \"maybe\"|5",
        "proxy_cache_path c keys_zone=a:1m;|proxy_cache a; proxy_cache_convert_head maybe;|invalid value \"maybe\"|5",
        "proxy_cache_path c keys_zone=a:1m;|proxy_cache a; proxy_force_ranges on;|unknown directive \"proxy_force_ranges\"|5",
        "proxy_cache_path c keys_zone=a:1m;|proxy_cache a; proxy_cache_methods PUT;|invalid value \"PUT\"|5",
        "proxy_cache_path c keys_zone=a:1m;|proxy_cache a; proxy_cache_valid 200 x;|invalid time value \"x\"|5",
        "proxy_cache_path c keys_zone=a:1m;|proxy_cache $x;|variables in \"proxy_cache\" are not supported|5",
    })
    void errorsNameTheLine(String http, String location, String message, int line) throws Exception {
        ParsedConfig parsed = parse(http, location);
        assertThatThrownBy(() -> Node.check(parsed)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ConfigException) e).where().line()).isEqualTo(line));
    }

    @Test
    void aValidConfigurationPasses() throws Exception {
        Node.check(parse("proxy_cache_path c levels=1:2 keys_zone=a:1m inactive=1m max_size=10m use_temp_path=off;",
                "proxy_cache a; proxy_cache_key $uri; proxy_cache_valid 200 302 1m; proxy_cache_valid any 5s;"
                + " proxy_cache_min_uses 0; proxy_cache_methods POST; proxy_cache_bypass $arg_a $cookie_b;"
                + " proxy_no_cache $arg_c; proxy_cache_use_stale error timeout http_500 off http_502 updating;"
                + " proxy_cache_revalidate on; proxy_cache_background_update on;"
                + " proxy_cache_lock on; proxy_cache_lock_timeout 1s; proxy_cache_lock_age 2s; proxy_cache_convert_head off;"));
    }
}
