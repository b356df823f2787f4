package io.zonesync.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigParser;
import org.junit.jupiter.api.Test;

/** The parameters of a stream {@code listen}. */
class StreamListenTest {
    private static StreamListen parse(String args) throws Exception {
        return StreamListen.parse(ConfigParser.parseString("listen " + args + ";", "l.conf").first("listen"));
    }

    @Test
    void readsEveryParameter() throws Exception {
        StreamListen l = parse("127.0.0.1:53 udp reuseport backlog=8");
        assertThat(l.udp()).isTrue();
        assertThat(l.backlog()).isEqualTo(8);
        StreamListen p = parse("9000 proxy_protocol so_keepalive=1m::5");
        assertThat(p.proxyProtocol()).isTrue();
        assertThat(p.keepalive()).isEqualTo(new StreamListen.KeepAlive(true, 60, 0, 5));
        assertThat(parse("9000 so_keepalive=off").keepalive().on()).isFalse();
    }

    @Test
    void refusesWhatItCannotHonour() {
        assertThatThrownBy(() -> parse("9000 fastopen=5")).hasMessageContaining("invalid parameter \"fastopen=5\"");
        assertThatThrownBy(() -> parse("9000 so_keepalive=x")).hasMessageContaining("invalid so_keepalive value");
        assertThatThrownBy(() -> parse("9000 udp proxy_protocol"))
                .hasMessageContaining("\"proxy_protocol\" parameter is incompatible with \"udp\"");
    }
}
