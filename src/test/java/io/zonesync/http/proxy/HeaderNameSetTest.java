package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderNameSetTest {
    private final HeaderNameSet set = new HeaderNameSet(List.of("Connection", "te", "X-Pad"));

    @Test
    void matchesRegardlessOfAsciiCase() {
        assertThat(set.contains("connection")).isTrue();
        assertThat(set.contains("CONNECTION")).isTrue();
        assertThat(set.contains(AsciiString.of("Te"))).isTrue();
        assertThat(set.contains("x-pAD")).isTrue();
    }

    @Test
    void needsTheWholeName() {
        assertThat(set.contains("connections")).isFalse();
        assertThat(set.contains("t")).isFalse();
        assertThat(set.contains("")).isFalse();
        assertThat(set.contains("keep-alive")).isFalse();
        assertThat(set.contains("x-pa\u00c4")).isFalse();
    }

    @Test
    void prefixesToo() {
        assertThat(HeaderNameSet.startsWithIgnoringAsciiCase("X-Accel-Redirect", "x-accel-")).isTrue();
        assertThat(HeaderNameSet.startsWithIgnoringAsciiCase("x-accel-", "x-accel-")).isTrue();
        assertThat(HeaderNameSet.startsWithIgnoringAsciiCase("X-Accel", "x-accel-")).isFalse();
        assertThat(HeaderNameSet.startsWithIgnoringAsciiCase("X-Backend", "x-accel-")).isFalse();
    }
}
