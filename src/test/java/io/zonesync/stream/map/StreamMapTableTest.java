package io.zonesync.stream.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigParser;
import io.zonesync.config.Directive;
import io.zonesync.stream.core.StreamVariables;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How a stream map finds a value: exact, wildcards with hostnames, regular expressions, default. */
class StreamMapTableTest {
    private final AtomicReference<String> source = new AtomicReference<>();

    private StreamMapTable table(String body) throws Exception {
        StreamVariables vars = StreamVariables.withCore();
        vars.define("src", s -> source.get());
        vars.define("other", s -> "O");
        Directive map = ConfigParser.parseString("map $src $out {\n" + body + "\n}\n", "m.conf").first("map");
        return StreamMapTable.compile(map, vars);
    }

    private String lookup(StreamMapTable t, String key) {
        source.set(key);
        return t.lookup(null);
    }

    @Test
    void exactKeysIgnoreCaseAndTheDefaultCatchesTheRest() throws Exception {
        StreamMapTable t = table("Backend a; \"\" empty; default $other-d;");
        assertThat(lookup(t, "backend")).isEqualTo("a");
        assertThat(lookup(t, "")).isEqualTo("empty");
        assertThat(lookup(t, "else")).isEqualTo("O-d");
    }

    @Test
    void withoutADefaultTheValueIsEmpty() throws Exception {
        assertThat(lookup(table("a b;"), "z")).isEmpty();
    }

    @Test
    void hostnamesTakeTheLongestWildcardThenRegexesInOrder() throws Exception {
        StreamMapTable t = table("hostnames; *.example.com star; .b.example.com dot; www.example.* tail;"
                + " ~^api\\. api; ~*^API2 api2;");
        assertThat(lookup(t, "x.example.com")).isEqualTo("star");
        assertThat(lookup(t, "b.example.com")).isEqualTo("dot");
        assertThat(lookup(t, "c.b.example.com")).isEqualTo("dot");
        assertThat(lookup(t, "www.example.org")).isEqualTo("tail");
        assertThat(lookup(t, "api.x")).isEqualTo("api");
        assertThat(lookup(t, "Api2.x")).isEqualTo("api2");
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> table("a b;\na c;")).hasMessageContaining("conflicting parameter \"a\"")
                .hasMessageContaining("m.conf:3");
        assertThatThrownBy(() -> table("~( x;")).hasMessageContaining("pcre_compile() failed");
        assertThatThrownBy(() -> table("a $1;")).hasMessageContaining("unknown \"1\" variable");
    }
}
