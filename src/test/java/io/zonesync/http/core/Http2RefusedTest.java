package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import org.junit.jupiter.api.Test;

/** HTTP/2 is not implemented: its switches are refused at -t with FILE:LINE, except {@code http2 off}. */
class Http2RefusedTest {
    @Test
    void listenHttp2IsRefused() {
        assertThatThrownBy(() -> TestConfigs.compile("http {\n server { listen 127.0.0.1:0 http2; } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("\"http2\" parameter of the \"listen\" directive is not supported")
                .hasMessageContaining("t.conf:2");
    }

    @Test
    void http2OnIsRefusedAndOffAccepted() throws Exception {
        assertThatThrownBy(() -> TestConfigs.compile("http { http2 on;\n server { listen 127.0.0.1:0; } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("HTTP/2 is not supported")
                .hasMessageContaining("t.conf:1");
        assertThat(TestConfigs.compile("http { server { listen 127.0.0.1:0; http2 off; } }")).isNotNull();
    }
}
