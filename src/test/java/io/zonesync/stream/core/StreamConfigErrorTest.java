package io.zonesync.stream.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@code -t} refuses in a stream block, each with FILE:LINE: what nginx refuses, and what
 * zonesync does not implement (never accepted and ignored).
 */
class StreamConfigErrorTest {
    @TempDir
    Path dir;

    /** Checks a stream block whose offending line is line 3 of the file. */
    private ConfigException error(String line) throws Exception {
        String text = "stream {\n upstream u { server 127.0.0.1:1; }\n " + line + "\n}\n";
        Path file = dir.resolve("zonesync.conf");
        Files.writeString(file, text);
        ParsedConfig parsed = ConfigParser.parseFile(file, dir, null);
        try {
            Node.check(parsed);
        } catch (ConfigException e) {
            assertThat(e.where()).as(e.getMessage()).isNotNull();
            assertThat(e.where().file()).isEqualTo(file.toString());
            assertThat(e.where().line()).isEqualTo(3);
            return e;
        }
        throw new AssertionError("no error for: " + line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "server { listen 127.0.0.1:0; }|no handler for server",
        "server { listen 127.0.0.1:0; proxy_pass u; return x; }|\"return\" directive is duplicate",
        "server { listen 127.0.0.1:0; proxy_pass nowhere.invalid:80; }|host not found in upstream \"nowhere.invalid:80\"",
        "server { listen 127.0.0.1:0; proxy_pass 127.0.0.1; }|no port in upstream \"127.0.0.1\"",
        "server { listen 127.0.0.1:0; return \"$nope\"; }|unknown \"nope\" variable",
        "server { listen 127.0.0.1:0 udp; proxy_pass u; proxy_protocol on; }|not supported in a server with a udp listener",
        "server { listen 127.0.0.1:0 ssl; proxy_pass u; }|no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive",
        "server { listen 127.0.0.1:0 ssl udp; proxy_pass u; }|\"ssl\" parameter is incompatible with \"udp\"",
        "server { listen 127.0.0.1:0 fastopen=3; proxy_pass u; }|invalid parameter \"fastopen=3\"",
        "server { listen 127.0.0.1:0; proxy_pass u; proxy_ssl on; proxy_ssl_verify on; }|no proxy_ssl_trusted_certificate for proxy_ssl_verify",
        "server { listen 127.0.0.1:0; proxy_pass u; proxy_ssl on; proxy_ssl_name $host; }|variables in \"proxy_ssl_name\" are not supported",
        "server { listen 127.0.0.1:0 udp; proxy_pass u; ssl_preread on; }|not supported in a server with a udp listener",
        "server { listen 127.0.0.1:0; proxy_pass u; proxy_bind 127.0.0.1 nope; }|invalid parameter \"nope\"",
        "server { listen 127.0.0.1:0; proxy_pass u; proxy_next_upstream maybe; }|it must be \"on\" or \"off\"",
        "server { listen 127.0.0.1:0; proxy_pass u; proxy_buffer_size 0; }|invalid value \"0\"",
        "server { listen 127.0.0.1:0; proxy_pass u; access_log /dev/null; }|invalid number of arguments in \"access_log\"",
        "server { listen 127.0.0.1:0; proxy_pass u; access_log /dev/null nope; }|unknown log format \"nope\"",
        "server { listen 127.0.0.1:0; proxy_pass u; limit_conn none 1; }|zero size shared memory zone \"none\"",
        "server { listen 127.0.0.1:0; proxy_pass u; set $remote_addr x; }|the duplicate \"remote_addr\" variable",
        "upstream v { server 127.0.0.1; }|no port in upstream \"127.0.0.1\"",
        "upstream v { server 127.0.0.1:1 route=a; }|invalid parameter \"route=a\"",
        "upstream v { server 127.0.0.1:1 drain; }|invalid parameter \"drain\"",
        "upstream v { zone v 64k; server v.test:1 resolve; }|no resolver defined to resolve names at run time",
        "upstream v { zone v 64k; server v.test:1 service=x resolve; }|service with port is not supported",
        "upstream v { hash $remote_addr; server 127.0.0.1:1 slow_start=5s; }|does not support parameter \"slow_start\"",
        "upstream v { ip_hash; server 127.0.0.1:1; }|\"ip_hash\" directive is not allowed here",
        "upstream v { server 127.0.0.1:1; keepalive 2; }|\"keepalive\" directive is not allowed here",
        "upstream u { server 127.0.0.1:2; }|duplicate upstream \"u\"",
        "map $remote_addr $m { default a; default b; }|duplicate default map parameter",
        "map $remote_addr $remote_port { default a; }|the duplicate \"remote_port\" variable",
        "split_clients $remote_addr $s { 60% a; 50% b; }|percent total is greater than 100%",
        "geo $g { 10.0.0.0/33 a; }|invalid network \"10.0.0.0/33\"",
        "geo $remote_addr $remote_port { default a; }|the duplicate \"remote_port\" variable",
        "server { listen 127.0.0.1:0; proxy_pass u; health_check; }|health check requires upstream \"u\" to be in shared memory",
        "server { listen 127.0.0.1:0; proxy_pass 127.0.0.1:1; health_check; }|\"health_check\" requires \"proxy_pass\" to an upstream group",
        "server { listen 127.0.0.1:0; proxy_pass u; health_check uri=/; }|invalid parameter \"uri=/\"",
        "server { listen 127.0.0.1:0; proxy_pass u; health_check keepalive_time=1s; }|invalid parameter \"keepalive_time=1s\"",
        "server { listen 127.0.0.1:0; proxy_pass u; health_check interval=0; }|must be greater than zero",
        "server { listen 127.0.0.1:0; proxy_pass u; health_check persistent; }|\"persistent\" requires \"mandatory\"",
        "server { listen 127.0.0.1:0; proxy_pass u; health_check match=none; }|match \"none\" not found",
        "match m { expect x; } server { listen 127.0.0.1:0 udp; proxy_pass u; health_check udp match=m; }|match \"m\" has no \"send\"",
        "match m { send x; expect a b c; }|invalid number of arguments in \"expect\" directive",
        "match m { expect = x; }|invalid operator \"=\"",
        "match m { expect ~ \"(\"; }|invalid regular expression",
        "match m { send \\xZZ; }|invalid hexadecimal escape",
        "match m { status 200; }|unknown directive \"status\"",
        "match m { } match m { }|duplicate match \"m\"",
        "server { listen 127.0.0.1:0; proxy_pass u; health_check_timeout 0; }|must be greater than zero",
        "match m { send x; } server { listen 127.0.0.1:0; proxy_pass u; proxy_ssl on; health_check match=m; }|not supported with \"proxy_ssl on\"",
    })
    void refusedWithTheLine(String line, String message) throws Exception {
        assertThat(error(line).getMessage()).contains(message);
    }

    @Test
    void aStreamUpstreamZoneAndAnHttpOneCannotShareAName() throws Exception {
        Path file = dir.resolve("both.conf");
        Files.writeString(file, "http { upstream h { zone z 64k; server 127.0.0.1:1; } }\n"
                + "stream { upstream s { zone z 64k; server 127.0.0.1:1; } }\n");
        try {
            Node.check(ConfigParser.parseFile(file, dir, null));
            throw new AssertionError("accepted");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("the shared memory zone \"z\" is already declared for a different use")
                    .contains("both.conf:2");
        }
    }

    @Test
    void aCompleteProxyConfigurationPasses() throws Exception {
        Path file = dir.resolve("ok.conf");
        Files.writeString(file, """
                stream {
                    log_format basic "$remote_addr $status";
                    access_log %s/s.log basic;
                    limit_conn_zone $binary_remote_addr zone=addr:1m;
                    keyval_zone zone=deny:1m;
                    keyval $remote_addr $deny zone=deny;
                    map $deny $dest { "" u; default blackhole; }
                    upstream u { hash $remote_addr consistent; server 127.0.0.1:1 weight=2 max_fails=3
                        fail_timeout=5s max_conns=9; server 127.0.0.1:2 down; zone u 64k; }
                    upstream blackhole { server 127.0.0.1:3; }
                    server {
                        listen 127.0.0.1:0 backlog=10 so_keepalive=30s:10s:3 proxy_protocol;
                        proxy_protocol_timeout 5s;
                        allow 127.0.0.0/8; deny all;
                        limit_conn addr 10;
                        proxy_pass $dest;
                        proxy_connect_timeout 1s; proxy_timeout 1m; proxy_next_upstream on;
                        proxy_next_upstream_tries 2; proxy_next_upstream_timeout 3s; proxy_buffer_size 4k;
                        proxy_upload_rate 1m; proxy_download_rate 2m; proxy_protocol on; proxy_half_close on;
                    }
                }
                """.formatted(dir));
        Node.check(ConfigParser.parseFile(file, dir, null));
    }
}
