package io.zonesync.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void hostPortBracketedV6PortOnlyAndUnix() throws Exception {
        assertThat(Endpoint.parse("10.0.0.1:9000", -1, false)).isEqualTo(Endpoint.inet("10.0.0.1", 9000));
        assertThat(Endpoint.parse("node.example.com:12345", -1, false).host()).isEqualTo("node.example.com");
        Endpoint v6 = Endpoint.parse("[::1]:9000", -1, false);
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.toString()).isEqualTo("[::1]:9000");
        Endpoint port = Endpoint.parse("9000", -1, true);
        assertThat(port.isWildcard()).isTrue();
        assertThat(port.toString()).isEqualTo("*:9000");
        assertThat(Endpoint.parse("dns.local", 53, false).port()).isEqualTo(53);
        Endpoint unix = Endpoint.parse("unix:/run/zonesync.sock", -1, false);
        assertThat(unix.isUnix()).isTrue();
        assertThat(unix.unixPath()).isEqualTo(Path.of("/run/zonesync.sock"));
        assertThat(unix.toString()).isEqualTo("unix:/run/zonesync.sock");
    }

    @Test
    void whatIsNotAnAddressSaysWhy() {
        assertParseError("10.0.0.1", Endpoint.ParseError.NO_PORT);
        assertParseError("10.0.0.1:", Endpoint.ParseError.INVALID_PORT);
        assertParseError("10.0.0.1:65536", Endpoint.ParseError.INVALID_PORT);
        assertParseError("10.0.0.1:http", Endpoint.ParseError.INVALID_PORT);
        assertParseError("::1:9000", Endpoint.ParseError.INVALID_HOST);
        assertParseError("[::1", Endpoint.ParseError.INVALID_HOST);
        assertParseError(":9000", Endpoint.ParseError.INVALID_HOST);
        assertParseError("unix:", Endpoint.ParseError.INVALID_HOST);
        assertParseError("9000", Endpoint.ParseError.NO_PORT);
    }

    private static void assertParseError(String text, Endpoint.ParseError error) {
        assertThatThrownBy(() -> Endpoint.parse(text, -1, false)).isInstanceOfSatisfying(Endpoint.ParseException.class,
                e -> assertThat(e.error()).isEqualTo(error)).hasMessageContaining(text);
    }
}
