package io.zonesync.http.splitclients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.ParsedConfig;
import io.zonesync.http.core.HttpConfigCompiler;
import io.zonesync.http.core.HttpCoreModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** split_clients: nginx's hash, and its configuration errors with FILE:LINE. */
class SplitClientsTest {
    @TempDir
    Path dir;

    @Test
    void theHashIsNginxsMurmurHash2() {
        // MurmurHash2 seeded with the length, as nginx's; SplitClientsDifferentialIT checks its groups
        // against nginx
        assertThat(SplitClientsModule.murmurHash2(new byte[0])).isZero();
        assertThat(Integer.toUnsignedLong(SplitClientsModule.murmurHash2("a".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(0x92685f5eL);
    }

    @Test
    void configurationErrorsNameTheLine() {
        assertError("split_clients $arg_a $s {\n 60% a; 50% b; }", "percent total is greater than 100%");
        assertError("split_clients $arg_a $s {\n 5 a; }", "invalid percent value \"5\"");
        assertError("split_clients $arg_a $s {\n 5.555% a; }", "invalid percent value \"5.555%\"");
        assertError("split_clients $arg_a $s {\n 5% a b; }", "invalid number of parameters");
    }

    private void assertError(String block, String message) {
        assertThatThrownBy(() -> {
            DirectiveRegistry r = new DirectiveRegistry();
            SplitClientsModule split = new SplitClientsModule();
            r.registerAll(new HttpCoreModule(), split);
            var root = ConfigParser.parseString("http {\n" + block + " }", "t.conf");
            r.validate(root);
            ParsedConfig parsed = new ParsedConfig(dir.resolve("t.conf"), dir, root, List.of());
            new HttpConfigCompiler(List.of(split)).compile(parsed);
        }).isInstanceOf(ConfigException.class).hasMessageContaining(message).hasMessageContaining("t.conf:3");
    }
}
