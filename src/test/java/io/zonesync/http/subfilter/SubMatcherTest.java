package io.zonesync.http.subfilter;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming matcher: matches split across pieces, once or all, several patterns, any case. */
class SubMatcherTest {

    private static SubMatcher.Rule rule(String pattern, String replacement) {
        return new SubMatcher.Rule(pattern.getBytes(StandardCharsets.UTF_8), replacement.getBytes(StandardCharsets.UTF_8));
    }

    private static String run(SubMatcher m, String... pieces) {
        StringBuilder out = new StringBuilder();
        for (String p : pieces) {
            out.append(text(m.encode(Unpooled.copiedBuffer(p, StandardCharsets.UTF_8))));
        }
        out.append(text(m.finish()));
        m.close();
        return out.toString();
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }

    @Test
    void replacesTheFirstMatchOnlyWhenOnce() {
        assertThat(run(new SubMatcher(List.of(rule("hello", "bye")), true), "Hello hello")).isEqualTo("bye hello");
    }

    @Test
    void replacesEveryMatchInAnyCaseWhenNotOnce() {
        assertThat(run(new SubMatcher(List.of(rule("hello", "bye")), false), "HeLLo hello HELLO"))
                .isEqualTo("bye bye bye");
    }

    @Test
    void aMatchSplitAcrossPiecesIsFound() {
        assertThat(run(new SubMatcher(List.of(rule("hello", "bye")), false), "say hel", "l", "o and he", "llo!"))
                .isEqualTo("say bye and bye!");
    }

    @Test
    void aPartialMatchAtTheEndIsWrittenAsItIs() {
        assertThat(run(new SubMatcher(List.of(rule("hello", "bye")), false), "oh hel")).isEqualTo("oh hel");
    }

    @Test
    void severalPatternsEachOnce() {
        SubMatcher m = new SubMatcher(List.of(rule("a", "1"), rule("bb", "2")), true);
        assertThat(run(m, "ab", "b a bb")).isEqualTo("12 a bb");
    }

    @Test
    void whatIsHeldBackIsBoundedByThePattern() {
        SubMatcher m = new SubMatcher(List.of(rule("abcdef", "x")), false);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ByteBuf out = m.encode(Unpooled.copiedBuffer("zzzzabcde", StandardCharsets.UTF_8));
            sizes.add(out.readableBytes());
            out.release();
        }
        m.finish().release();
        assertThat(sizes.subList(1, sizes.size())).allMatch(n -> n == 9);
    }
}
