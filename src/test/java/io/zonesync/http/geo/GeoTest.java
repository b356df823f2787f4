package io.zonesync.http.geo;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.ParsedConfig;
import io.zonesync.http.core.HttpConfigCompiler;
import io.zonesync.http.core.HttpCoreModule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** geo's configuration errors, with FILE:LINE. */
class GeoTest {
    @TempDir
    Path dir;

    @Test
    void configurationErrorsNameTheLine() {
        assertError("geo $g {\n 10.0.0.0/33 x; }", "invalid network \"10.0.0.0/33\"");
        assertError("geo $g {\n ranges; 10.0.0.0-10.0.0.9 a; 10.0.0.5-10.0.0.20 b; }",
                "range \"10.0.0.5-10.0.0.20\" overlaps \"10.0.0.0-10.0.0.9\"");
        assertError("geo $g {\n ranges; 10.0.0.9-10.0.0.0 a; }", "invalid range \"10.0.0.9-10.0.0.0\"");
        assertError("geo $g {\n proxy localhost; }", "invalid network \"localhost\"");
        assertError("geo $g {\n proxy_recursive on; }", "invalid network \"proxy_recursive\"");
        assertError("geo $g {\n 10.0.0.1 a b; }", "invalid number of the geo parameters");
        assertError("geo g {\n default x; }", "invalid variable name \"g\"");
    }

    private void assertError(String block, String message) {
        assertThatThrownBy(() -> {
            DirectiveRegistry r = new DirectiveRegistry();
            GeoModule geo = new GeoModule();
            r.registerAll(new HttpCoreModule(), geo);
            var root = ConfigParser.parseString("http {\n" + block + " }", "t.conf");
            r.validate(root);
            ParsedConfig parsed = new ParsedConfig(dir.resolve("t.conf"), dir, root, List.of());
            new HttpConfigCompiler(List.of(geo)).compile(parsed);
        }).isInstanceOf(ConfigException.class).hasMessageContaining(message).hasMessageContaining("t.conf:");
    }
}
