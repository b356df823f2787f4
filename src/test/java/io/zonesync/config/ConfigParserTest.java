package io.zonesync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {
    @TempDir
    Path dir;

    private static Block parse(String text) throws ConfigException {
        return ConfigParser.parseString(text, "t.conf");
    }

    @Test
    void directivesBlocksAndLines() throws Exception {
        Block root = parse("worker_processes 1;\n\nhttp {\n  server {\n    listen 8080;\n  }\n}\n");
        assertThat(root.directives()).hasSize(2);
        Directive http = root.first("http");
        assertThat(http.where()).isEqualTo(new SourceLocation("t.conf", 3));
        Directive listen = http.block().first("server").block().first("listen");
        assertThat(listen.args()).containsExactly("8080");
        assertThat(listen.where().toString()).isEqualTo("t.conf:5");
    }

    @Test
    void commentsOnlyStartAtTheBeginningOfAWord() throws Exception {
        Block root = parse("# a comment\nreturn 200 a#b; # trailing\n");
        assertThat(root.directives()).hasSize(1);
        assertThat(root.first("return").args()).containsExactly("200", "a#b");
    }

    @Test
    void quotesAndEscapes() throws Exception {
        Block root = parse("a \"x y\" 'it' 's' \"q\\\"uote\" \"tab\\there\" \"keep\\d\" un\\;quoted;");
        assertThat(root.first("a").args())
                .containsExactly("x y", "it", "s", "q\"uote", "tab\there", "keep\\d", "un\\;quoted");
    }

    @Test
    void aClosingParenthesisMayFollowAQuoteAsInAnIfCondition() throws Exception {
        Block root = parse("if ($http_x_api_key = \"\") { a; }\nif ($a = 'x'){ b; }");
        assertThat(root.all("if").get(0).args()).containsExactly("($http_x_api_key", "=", "", ")");
        assertThat(root.all("if").get(1).args()).containsExactly("($a", "=", "x", ")");
    }

    @Test
    void quotedStringMaySpanLinesAndCountsThem() throws Exception {
        Block root = parse("a \"one\ntwo\";\nb;");
        assertThat(root.first("a").arg(0)).isEqualTo("one\ntwo");
        assertThat(root.first("b").where().line()).isEqualTo(3);
    }

    @Test
    void bracedVariablesDoNotOpenBlocks() throws Exception {
        Block root = parse("return 200 \"${host}x\" ${uri}y;");
        assertThat(root.first("return").args()).containsExactly("200", "${host}x", "${uri}y");
    }

    @Test
    void emptyBlocksAndEmptyQuotedArguments() throws Exception {
        Block root = parse("events {}\nadd_header X \"\";");
        assertThat(root.first("events").block().directives()).isEmpty();
        assertThat(root.first("add_header").args()).containsExactly("X", "");
    }

    @Test
    void syntaxErrorsNameFileAndLine() {
        assertError("a;\n}", "unexpected \"}\" in t.conf:2");
        assertError("http {\n a;\n", "unexpected end of file, expecting \"}\" in t.conf:3");
        assertError("a b", "unexpected end of file, expecting \";\" or \"}\" in t.conf:1");
        assertError("\n;", "unexpected \";\" in t.conf:2");
        assertError("{ }", "unexpected \"{\" in t.conf:1");
        assertError("a \"b\"c;", "unexpected \"c\" in t.conf:1");
        assertError("a \"b;\n\n", "unexpected end of file, expecting \"\"\" in t.conf:1");
        assertError("a b }", "unexpected \"}\" in t.conf:1");
        assertError("include a.conf\0;", "unexpected NUL byte in t.conf:1");
        assertError("a\n'b\n\0';", "unexpected NUL byte in t.conf:3");
        assertError("a b\\\0c;", "unexpected NUL byte in t.conf:1");
        assertError("a ${b\0};", "unexpected NUL byte in t.conf:1");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void includeIsRelativeToTheMainFileAndExpandedInPlace() throws Exception {
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf.resolve("sites"));
        Files.writeString(conf.resolve("main.conf"), "a;\ninclude sites/*.conf;\nz;\n");
        Files.writeString(conf.resolve("sites/b.conf"), "b;\n");
        Files.writeString(conf.resolve("sites/a.conf"), "\nx 1;\n");
        Files.writeString(conf.resolve("sites/ignored.txt"), "ignored;\n");
        ParsedConfig parsed = ConfigParser.parseFile(conf.resolve("main.conf"), dir, null);
        assertThat(parsed.root().directives()).extracting(Directive::name).containsExactly("a", "x", "b", "z");
        Directive x = parsed.root().first("x");
        assertThat(x.where()).isEqualTo(new SourceLocation(conf.resolve("sites/a.conf").toString(), 2));
        assertThat(parsed.sources()).extracting(ConfigSource::path).containsExactly(
                conf.resolve("main.conf").toString(), conf.resolve("sites/a.conf").toString(),
                conf.resolve("sites/b.conf").toString());
        assertThat(parsed.resolve("one.keyval")).isEqualTo(dir.resolve("one.keyval"));
        assertThat(parsed.resolve("/abs/x")).isEqualTo(Path.of("/abs/x"));
    }

    @Test
    void includeGlobMatchingNothingIsFineButAMissingFileIsNot() throws Exception {
        Path main = write("main.conf", "include none/*.conf;\na;\n");
        assertThat(ConfigParser.parseFile(main, dir, null).root().directives()).hasSize(1);
        Path bad = write("bad.conf", "a;\ninclude missing.conf;\n");
        assertThatThrownBy(() -> ConfigParser.parseFile(bad, dir, null))
                .hasMessage("open() \"" + dir.resolve("missing.conf") + "\" failed (2: No such file or directory) in "
                        + bad + ":2");
    }

    @Test
    void includeGlobThatIsNotAPatternIsReported() throws Exception {
        Path main = write("main.conf", "a;\ninclude *.con[;\n");
        assertThatThrownBy(() -> ConfigParser.parseFile(main, dir, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("glob() \"" + dir.resolve("*.con[") + "\" failed (Missing ']")
                .hasMessageEndingWith(") in " + main + ":2");
    }

    @Test
    void includeInsideABlockAndErrorsInIncludedFilesNameThatFile() throws Exception {
        write("inner.conf", "listen 80;\nbroken\n");
        Path main = write("main.conf", "http {\n server {\n  include inner.conf;\n }\n}\n");
        assertThatThrownBy(() -> ConfigParser.parseFile(main, dir, null))
                .hasMessage("unexpected end of file, expecting \";\" or \"}\" in " + dir.resolve("inner.conf") + ":3");
    }

    @Test
    void includeLoopIsReported() throws Exception {
        Path main = write("loop.conf", "include loop.conf;\n");
        assertThatThrownBy(() -> ConfigParser.parseFile(main, dir, null))
                .hasMessageContaining("include nesting is deeper than 32 levels");
    }

    @Test
    void blocksNestedTooDeeplyAreReportedNotAStackOverflow() throws Exception {
        parse("a {\n".repeat(ConfigParser.MAX_BLOCK_DEPTH) + "}".repeat(ConfigParser.MAX_BLOCK_DEPTH));
        assertError("a {\n".repeat(ConfigParser.MAX_BLOCK_DEPTH) + "b {\n".repeat(10_000),
                "blocks are nested deeper than 100 levels in t.conf:101");
        Path main = write("outer.conf", "a {\n".repeat(60) + "include inner.conf;\n" + "}".repeat(60));
        write("inner.conf", "b {\n".repeat(60) + "}".repeat(60));
        assertThatThrownBy(() -> ConfigParser.parseFile(main, dir, null))
                .hasMessage("blocks are nested deeper than 100 levels in " + dir.resolve("inner.conf") + ":41");
    }

    @Test
    void commandLineDirectivesComeFirstAndSayWhereTheyCameFrom() throws Exception {
        Path main = write("main.conf", "a;\n");
        ParsedConfig parsed = ConfigParser.parseFile(main, dir, "daemon off; pid x.pid;");
        assertThat(parsed.root().directives()).extracting(Directive::name).containsExactly("daemon", "pid", "a");
        assertThat(parsed.root().first("daemon").where().toString()).isEqualTo("command line");
        assertThatThrownBy(() -> ConfigParser.parseFile(main, dir, "daemon off"))
                .hasMessage("unexpected end of file, expecting \";\" or \"}\" in command line");
    }

    @Test
    void missingMainFile() {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> ConfigParser.parseFile(missing, dir, null))
                .hasMessage("open() \"" + missing + "\" failed (2: No such file or directory)");
    }

    @Test
    void crlfLineEndings() throws Exception {
        Block root = parse("a 1;\r\nb 2;\r\n");
        assertThat(root.directives()).extracting(d -> d.args()).containsExactly(List.of("1"), List.of("2"));
        assertThat(root.first("b").where().line()).isEqualTo(2);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
