package io.zonesync.stream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.SourceLocation;
import org.junit.jupiter.api.Test;

/** Stream values: text and variables, braces, and nginx's errors. */
class StreamValueTest {
    private static final SourceLocation WHERE = new SourceLocation("v.conf", 7);

    private static StreamVariables vars() {
        StreamVariables v = new StreamVariables();
        v.define("a", s -> "A");
        v.define("missing", s -> null);
        return v;
    }

    @Test
    void evaluatesTextAndVariables() throws Exception {
        assertThat(StreamValue.compile("x$a-${a}y$missing.", vars(), WHERE).evaluate(null)).isEqualTo("xA-Ay.");
        assertThat(StreamValue.compile("plain", vars(), WHERE).evaluate(null)).isEqualTo("plain");
        assertThat(StreamValue.compile("$A", vars(), WHERE).evaluate(null)).isEqualTo("A");
    }

    @Test
    void refusesWhatNginxRefuses() {
        assertThatThrownBy(() -> StreamValue.compile("$b", vars(), WHERE)).hasMessageContaining("unknown \"b\" variable")
                .hasMessageContaining("v.conf:7");
        assertThatThrownBy(() -> StreamValue.compile("x$", vars(), WHERE))
                .hasMessageContaining("invalid variable name in \"x$\"");
        assertThatThrownBy(() -> StreamValue.compile("${a", vars(), WHERE))
                .hasMessageContaining("the closing bracket in \"a\" variable is missing");
    }

    @Test
    void aNameIsDefinedOnce() {
        StreamVariables v = vars();
        assertThat(v.isDefined("A")).isTrue();
        assertThatThrownBy(() -> v.define("a", s -> "again")).isInstanceOf(IllegalStateException.class);
    }
}
