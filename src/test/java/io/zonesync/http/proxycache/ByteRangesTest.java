package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

/** nginx's reading of a Range header against a body of 100 bytes. */
class ByteRangesTest {
    private static List<ByteRanges.Span> spans(String ranges, int max) {
        return ByteRanges.parse(ranges, 100, max).spans();
    }

    @Test
    void singleSuffixAndOpenRanges() {
        assertThat(spans("0-9", 10)).containsExactly(new ByteRanges.Span(0, 10));
        assertThat(spans("-5", 10)).containsExactly(new ByteRanges.Span(95, 100));
        assertThat(spans("-500", 10)).containsExactly(new ByteRanges.Span(0, 100));
        assertThat(spans("90-", 10)).containsExactly(new ByteRanges.Span(90, 100));
        assertThat(spans("90-500", 10)).containsExactly(new ByteRanges.Span(90, 100));
        assertThat(spans(" 1 - 2 , 4-5", 10)).containsExactly(new ByteRanges.Span(1, 3), new ByteRanges.Span(4, 6));
    }

    @Test
    void unsatisfiableAndDeclined() {
        assertThat(ByteRanges.parse("100-", 100, 10).unsatisfiable()).isTrue();
        assertThat(ByteRanges.parse("5-2", 100, 10).unsatisfiable()).isTrue();
        assertThat(ByteRanges.parse("x", 100, 10).unsatisfiable()).isTrue();
        assertThat(ByteRanges.parse("1-2x", 100, 10).unsatisfiable()).isTrue();
        // a range from 0 that is empty, too many ranges, or more than the body: the whole body
        assertThat(ByteRanges.parse("0-5,0-5", 100, 1).declined()).isTrue();
        assertThat(ByteRanges.parse("0-99,0-99", 100, 10).declined()).isTrue();
        assertThat(ByteRanges.parse("-0", 100, 10).unsatisfiable()).isTrue();
    }

    @Test
    void ifRangeKeepsRangesOnlyWhenItMatches() {
        HttpHeaders response = new DefaultHttpHeaders().set("ETag", "\"a\"")
                .set("Last-Modified", "Thu, 01 Jan 2015 00:00:00 GMT");
        HttpHeaders request = new DefaultHttpHeaders().set("Range", "bytes=0-1");
        assertThat(ByteRanges.decide(request, response, 100, 10).declined()).isFalse();
        assertThat(ByteRanges.decide(request.set("If-Range", "\"a\""), response, 100, 10).declined()).isFalse();
        assertThat(ByteRanges.decide(request.set("If-Range", "W/\"a\""), response, 100, 10).declined()).isTrue();
        assertThat(ByteRanges.decide(request.set("If-Range", "Thu, 01 Jan 2015 00:00:00 GMT"), response, 100, 10)
                .declined()).isFalse();
        assertThat(ByteRanges.decide(request.set("If-Range", "Fri, 02 Jan 2015 00:00:00 GMT"), response, 100, 10)
                .declined()).isTrue();
        assertThat(ByteRanges.decide(new DefaultHttpHeaders().set("Range", "items=0-1"), response, 100, 10)
                .declined()).isTrue();
    }
}
