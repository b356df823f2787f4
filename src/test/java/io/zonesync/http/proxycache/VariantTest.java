package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** Which requests share a Vary variant, and which Vary values may be cached. */
class VariantTest {
    private static final String HASH = CachePolicy.md5("key");

    private static String of(String vary, String... headers) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return Variant.of(HASH, vary, h);
    }

    @Test
    void theNamedHeadersDecide() {
        assertThat(of("Accept-Language", "Accept-Language", "en")).isEqualTo(of("accept-language, ", "accept-language", "en"))
                .isEqualTo(of("Accept-Language", "Accept-Language", "en", "X-Other", "1"))
                .isNotEqualTo(of("Accept-Language", "Accept-Language", "fr"))
                .isNotEqualTo(of("Accept-Language"));
        assertThat(of("A", "A", "x, y")).isEqualTo(of("A", "A", "x,y")).isEqualTo(of("A", "A", "x", "A", "y"))
                .isNotEqualTo(of("A", "A", "X,y"));
        assertThat(of("A, B", "A", "1", "B", "2")).isNotEqualTo(of("A, B", "A", "2", "B", "1"));
        assertThat(Variant.of(CachePolicy.md5("other"), "A", new DefaultHttpHeaders())).isNotEqualTo(of("A"));
    }

    @Test
    void starAndLongValuesAreNotCached() {
        assertThat(Variant.cacheable("Accept-Encoding")).isTrue();
        assertThat(Variant.cacheable("*")).isFalse();
        assertThat(Variant.cacheable("a".repeat(129))).isFalse();
        assertThat(Variant.cacheable("a".repeat(128))).isTrue();
    }
}
