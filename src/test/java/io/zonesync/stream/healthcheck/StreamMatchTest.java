package io.zonesync.stream.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a stream match block sends and what answer it accepts. */
class StreamMatchTest {
    private static StreamMatch parse(String body) throws ConfigException {
        return StreamMatch.parse(ConfigParser.parseString("match m { " + body + " }", "t.conf").first("match"));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void sendCarriesTheConfigurationsEscapesAndHexBytes() throws ConfigException {
        assertThat(parse("send \"GET / HTTP/1.0\\r\\n\\r\\n\";").send()).isEqualTo(b("GET / HTTP/1.0\r\n\r\n"));
        assertThat(parse("send \"\\x00\\x2a\\xFFz\";").send()).isEqualTo(new byte[] {0, 0x2a, (byte) 0xff, 'z'});
        assertThat(parse("expect x;").send()).isNull();
    }

    @Test
    void aLiteralExpectIsFoundAnywhereInTheData() throws ConfigException {
        StreamMatch m = parse("expect \"\\x80OK\";");
        assertThat(m.expects()).isTrue();
        assertThat(m.test(new byte[] {'a', (byte) 0x80, 'O', 'K', 'b'})).isTrue();
        assertThat(m.test(b("OK"))).isFalse();
        assertThat(m.test(new byte[] {(byte) 0x80, 'O'})).as("not all of it yet").isFalse();
    }

    @Test
    void aRegexExpectIsCaseSensitiveWithTildeAndNotWithTildeStar() throws ConfigException {
        assertThat(parse("expect ~ \"200 OK\";").test(b("HTTP/1.0 200 OK\r\n"))).isTrue();
        assertThat(parse("expect ~ \"200 ok\";").test(b("HTTP/1.0 200 OK\r\n"))).isFalse();
        assertThat(parse("expect ~* \"200 ok\";").test(b("HTTP/1.0 200 OK\r\n"))).isTrue();
        assertThat(parse("expect ~ \"^PONG$\";").test(b("xPONG"))).isFalse();
    }

    @Test
    void aBlockWithoutExpectAcceptsAnything() throws ConfigException {
        assertThat(parse("send x;").expects()).isFalse();
        assertThat(parse("").expects()).isFalse();
    }
}
