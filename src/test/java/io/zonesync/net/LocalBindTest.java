package io.zonesync.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalBindTest {

    @ParameterizedTest
    @CsvSource({"10.0.0.1,10.0.0.1,0", "10.0.0.1:8000,10.0.0.1,8000", "::1,0:0:0:0:0:0:0:1,0",
        "[::1]:8000,0:0:0:0:0:0:0:1,8000", "[2001:db8::5]:1,2001:db8:0:0:0:0:0:5,1"})
    void takesAddressesWithOrWithoutAPort(String text, String ip, int port) {
        InetSocketAddress a = LocalBind.parse(text);
        assertThat(a.getAddress().getHostAddress()).isEqualTo(ip);
        assertThat(a.getPort()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "localhost", "10.0.0.1:", "10.0.0.1:0", "10.0.0.1:65536", "10.0.0.1:8x",
        "10.0.0:80", "[10.0.0.1]:80", "::1:99999"})
    void refusesAnythingElse(String text) {
        assertThat(LocalBind.parse(text)).isNull();
    }
}
