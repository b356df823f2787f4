package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * Which addresses speak HTTP/2 and with what settings; what is refused at -t with FILE:LINE (server
 * push, nginx's invalid values); the obsolete directives load.
 */
class Http2ConfigTest {
    private static Http2Options http2(String http) throws ConfigException {
        return TestConfigs.compile("http {\n" + http + "\n}").endpoints().get(0).http2();
    }

    @Test
    void listenHttp2IsHttp2OnlyOnPlaintextAndHttp2OnTakesBoth() throws Exception {
        assertThat(http2("server { listen 127.0.0.1:0; }")).isNull();
        assertThat(http2("server { listen 127.0.0.1:0 http2; }").cleartextOnly()).isTrue();
        assertThat(http2("http2 on; server { listen 127.0.0.1:0; }").cleartextOnly()).isFalse();
        assertThat(http2("server { listen 127.0.0.1:0; http2 off; }")).isNull();
    }

    @Test
    void theSettingsAreNginxsDefaultsOrTheDefaultServers() throws Exception {
        assertThat(http2("server { listen 127.0.0.1:0 http2; }"))
                .isEqualTo(new Http2Options(128, 64 * 1024, 8 * 1024, 256 * 1024, true));
        assertThat(http2("""
                http2_recv_buffer_size 1m; http2_chunk_size 16k;
                server { listen 127.0.0.1:0 http2; http2_max_concurrent_streams 7; http2_body_preread_size 1k; }
                server { listen 127.0.0.1:0 http2; http2_max_concurrent_streams 9; }"""))
                .isEqualTo(new Http2Options(7, 1024, 16 * 1024, 1024 * 1024, true));
    }

    @Test
    void invalidValuesAreRefusedInNginxsWords() {
        refused("http2_chunk_size 0;", "the http2 chunk size cannot be zero", "t.conf:2");
        refused("http2_max_concurrent_streams x;", "\"http2_max_concurrent_streams\" directive invalid number",
                "t.conf:2");
        refused("http2_body_preread_size 3g;", "invalid value \"3g\"", "t.conf:2");
        refused("http2_recv_buffer_size 32;", "\"http2_recv_buffer_size\" directive value is too small", "t.conf:2");
    }

    @Test
    void serverPushIsRefusedAndItsOffAccepted() throws Exception {
        refused("server { listen 127.0.0.1:0 http2; location / { http2_push /style.css; } }",
                "HTTP/2 server push is not supported", "t.conf:2");
        refused("http2_push_preload on;", "HTTP/2 server push is not supported", "t.conf:2");
        assertThat(http2("http2_push off; http2_push_preload off; server { listen 127.0.0.1:0 http2; }")).isNotNull();
    }

    @Test
    void theObsoleteDirectivesLoadAsInNginx() throws Exception {
        assertThat(http2("""
                http2_idle_timeout 5s; http2_recv_timeout 5s; http2_max_requests 5;
                http2_max_field_size 1k; http2_max_header_size 1k;
                server { listen 127.0.0.1:0 http2; }""")).isNotNull();
    }

    @Test
    void recvBufferSizeIsHttpLevelOnlyAsInNginx() {
        assertThatThrownBy(() -> http2("server { listen 127.0.0.1:0 http2; http2_recv_buffer_size 1m; }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not allowed here");
    }

    private static void refused(String http, String message, String where) {
        String text = http.startsWith("server") ? http : http + "\nserver { listen 127.0.0.1:0 http2; }";
        assertThatThrownBy(() -> TestConfigs.compile("http {\n" + text + "\n}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(message).hasMessageContaining(where);
    }
}
