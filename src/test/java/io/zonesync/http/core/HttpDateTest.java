package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpDateTest {
    @Test
    void formatsAsRfc9110() {
        assertThat(HttpDate.format(784111777_000L)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDate.format(784111777_999L)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @Test
    void theCachedSecondChangesWithTheSecondAndNeverLags() {
        assertThat(HttpDate.ofSecond(784111777_000L)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDate.ofSecond(784111777_999L)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDate.ofSecond(784111778_000L)).isEqualTo("Sun, 06 Nov 1994 08:49:38 GMT");
        assertThat(HttpDate.ofSecond(784111776_500L)).isEqualTo("Sun, 06 Nov 1994 08:49:36 GMT");
        assertThat(HttpDate.ofSecond(-1L)).isEqualTo("Wed, 31 Dec 1969 23:59:59 GMT");
    }
}
