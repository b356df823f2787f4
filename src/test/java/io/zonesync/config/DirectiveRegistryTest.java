package io.zonesync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectiveRegistryTest {
    private final DirectiveRegistry registry = new DirectiveRegistry();

    @BeforeEach
    void registerSome() {
        registry.register(DirectiveSpec.single("pid", Arity.exactly(1), Context.MAIN));
        registry.register(DirectiveSpec.block("http", Arity.NONE, Context.HTTP, false, Context.MAIN));
        registry.register(DirectiveSpec.block("server", Arity.NONE, Context.HTTP_SERVER, true, Context.HTTP));
        registry.register(DirectiveSpec.repeatable("server", Arity.atLeast(1), Context.HTTP_UPSTREAM));
        registry.register(DirectiveSpec.block("upstream", Arity.exactly(1), Context.HTTP_UPSTREAM, true, Context.HTTP));
        registry.register(DirectiveSpec.repeatable("listen", Arity.atLeast(1), Context.HTTP_SERVER));
        registry.register(DirectiveSpec.block("types", Arity.NONE, Context.OPAQUE, false, Context.HTTP));
    }

    private void validate(String text) throws ConfigException {
        registry.validate(ConfigParser.parseString(text, "z.conf"));
    }

    @Test
    void acceptsAValidTreeWhereTheSameNameMeansDifferentThingsByContext() {
        assertThatCode(() -> validate("pid x;\nhttp {\n upstream u { server a:1; server b:2; }\n"
                + " server { listen 1; listen 2; }\n server { }\n types { text/html html htm; }\n}\n"))
                .doesNotThrowAnyException();
        assertThat(registry.spec("server", Context.HTTP).orElseThrow().opensBlock()).isTrue();
        assertThat(registry.spec("server", Context.HTTP_UPSTREAM).orElseThrow().opensBlock()).isFalse();
    }

    @Test
    void errorsReadLikeNginxs() {
        assertError("foo bar;", "unknown directive \"foo\" in z.conf:1");
        assertError("http {\n listen 80;\n}", "\"listen\" directive is not allowed here in z.conf:2");
        assertError("pid;", "invalid number of arguments in \"pid\" directive in z.conf:1");
        assertError("pid a;\npid b;", "\"pid\" directive is duplicate in z.conf:2");
        assertError("http;", "directive \"http\" has no opening \"{\" in z.conf:1");
        assertError("pid a { }", "directive \"pid\" is not terminated by \";\" in z.conf:1");
        assertError("http { upstream u { server { } } }",
                "directive \"server\" is not terminated by \";\" in z.conf:1");
        assertError("http { }\nhttp { }", "\"http\" directive is duplicate in z.conf:2");
    }

    @Test
    void registeringTheSameDirectiveTwiceForOneContextIsAProgrammingError() {
        assertThatThrownBy(() -> registry.register(DirectiveSpec.single("pid", Arity.NONE, Context.MAIN)))
                .isInstanceOf(IllegalStateException.class);
    }

    private void assertError(String text, String message) {
        assertThatThrownBy(() -> validate(text)).isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
