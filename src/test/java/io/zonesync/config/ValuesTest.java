package io.zonesync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {
    private static Directive d(String name, String... args) {
        return new Directive(name, List.of(args), new SourceLocation("v.conf", 7), null);
    }

    @ParameterizedTest
    @CsvSource({"512,512", "32k,32768", "32K,32768", "1m,1048576", "2M,2097152", "1g,1073741824", "0,0"})
    void sizes(String text, long bytes) throws ConfigException {
        assertThat(Values.size(d("client_max_body_size", text), text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "1x", "-1", "1.5m", "1kb", "99999999999999999999"})
    void badSizes(String text) {
        assertThatThrownBy(() -> Values.size(d("client_max_body_size", text), text))
                .hasMessage("invalid value \"" + text + "\" in \"client_max_body_size\" directive in v.conf:7");
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "10s,10000", "10,10000", "5m,300000", "1h30m,5400000", "2d,172800000",
        "1w,604800000", "1M,2592000000", "1y,31536000000", "1m30s500ms,90500", "0,0"})
    void times(String text, long ms) throws ConfigException {
        assertThat(Values.timeMs(d("keepalive_timeout", text), text)).isEqualTo(ms);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "10x", "30m1h", "1s1s", "-5s", "1.5s", "5 s"})
    void badTimes(String text) {
        assertThatThrownBy(() -> Values.timeMs(d("keepalive_timeout", text), text))
                .hasMessage("invalid value \"" + text + "\" in \"keepalive_timeout\" directive in v.conf:7");
    }

    @Test
    void flags() throws ConfigException {
        assertThat(Values.flag(d("daemon", "on"))).isTrue();
        assertThat(Values.flag(d("daemon", "OFF"))).isFalse();
        assertThatThrownBy(() -> Values.flag(d("daemon", "yes"))).hasMessage(
                "invalid value \"yes\" in \"daemon\" directive, it must be \"on\" or \"off\" in v.conf:7");
    }

    @ParameterizedTest
    @CsvSource({"10r/s,10000", "1r/s,1000", "30r/m,500", "1r/m,16", "5,5000"})
    void ratesInMilliRequestsPerSecondAsNginx(String text, long milli) throws ConfigException {
        assertThat(Values.rateMilli(d("limit_req_zone", text), text)).isEqualTo(milli);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0r/s", "r/s", "10r/h", "-1r/s", "1.5r/s"})
    void badRates(String text) {
        assertThatThrownBy(() -> Values.rateMilli(d("limit_req_zone", text), text))
                .hasMessage("invalid rate \"" + text + "\" in v.conf:7");
    }

    @Test
    void positiveIntegers() throws ConfigException {
        assertThat(Values.positiveInt(d("burst", "12"), "12")).isEqualTo(12);
        assertThatThrownBy(() -> Values.positiveInt(d("burst", "0"), "0")).hasMessageContaining("invalid value \"0\"");
        assertThatThrownBy(() -> Values.positiveInt(d("burst", "3000000000"), "3000000000"))
                .hasMessageContaining("invalid value");
    }

    @Test
    void zones() throws ConfigException {
        assertThat(Values.zone(d("keyval_zone"), "one:32k")).isEqualTo(new Values.ZoneSpec("one", 32768));
        assertThatThrownBy(() -> Values.zone(d("keyval_zone"), "one")).hasMessage("invalid zone size \"one\" in v.conf:7");
        assertThatThrownBy(() -> Values.zone(d("keyval_zone"), "one:")).hasMessage("invalid zone size \"one:\" in v.conf:7");
        assertThatThrownBy(() -> Values.zone(d("keyval_zone"), ":1m")).hasMessage("invalid zone name \":1m\" in v.conf:7");
        assertThat(Values.param("zone=one:1m", "zone")).isEqualTo("one:1m");
        assertThat(Values.param("zonex=1", "zone")).isNull();
    }
}
