package io.zonesync.keyval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.Arity;
import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyvalConfigTest {
    @TempDir
    Path prefix;

    private ParsedConfig parse(String text) throws Exception {
        Path file = prefix.resolve("zonesync.conf");
        Files.writeString(file, text);
        ParsedConfig config = ConfigParser.parseFile(file, prefix, null);
        DirectiveRegistry registry = new DirectiveRegistry();
        registry.register(DirectiveSpec.block("http", Arity.NONE, Context.HTTP, false, Context.MAIN));
        registry.register(DirectiveSpec.block("stream", Arity.NONE, Context.STREAM, false, Context.MAIN));
        registry.registerAll(new KeyvalModule());
        registry.validate(config.root());
        return config;
    }

    private KeyvalConfig.Both compile(String text) throws Exception {
        return KeyvalConfig.compile(parse(text));
    }

    private void assertError(String text, String message, int line) {
        assertThatThrownBy(() -> compile(text)).isInstanceOf(ConfigException.class)
                .hasMessage(message + " in " + prefix.resolve("zonesync.conf") + ":" + line);
    }

    @Test
    void seedExampleWorksAsWritten() throws Exception {
        KeyvalConfig.Both c = compile("http {\n    keyval_zone zone=one:32k state=one.keyval sync;\n"
                + "    keyval $arg_text $text zone=one;\n}\n");
        KeyvalZoneConf z = c.http().zones().get(0);
        assertThat(z.name()).isEqualTo("one");
        assertThat(z.sizeBytes()).isEqualTo(32 * 1024);
        assertThat(z.sync()).isTrue();
        assertThat(z.timeoutMs()).as("sync without timeout is accepted").isZero();
        assertThat(z.stateFile()).isEqualTo(prefix.resolve("one.keyval"));
        assertThat(z.type()).isEqualTo(KeyvalType.STRING);
        assertThat(z.where().line()).isEqualTo(2);
        assertThat(c.http().variables()).containsExactly(
                new KeyvalVariableConf("$arg_text", "text", "one", new SourceLocation(z.where().file(), 3)));
        assertThat(c.stream().zones()).isEmpty();
    }

    @Test
    void allParametersInHttpAndStream() throws Exception {
        KeyvalConfig.Both c = compile("http {\n keyval $remote_addr $v zone=ips;\n"
                + " keyval_zone zone=ips:1m timeout=1h30m type=ip state=/var/tmp/ips.keyval;\n}\n"
                + "stream {\n keyval_zone type=prefix zone=paths:64k;\n keyval \"${host}x\" $p zone=paths;\n}\n");
        KeyvalZoneConf ips = c.http().zone("ips").orElseThrow();
        assertThat(ips.timeoutMs()).isEqualTo(5_400_000);
        assertThat(ips.type()).isEqualTo(KeyvalType.IP);
        assertThat(ips.stateFile()).isEqualTo(Path.of("/var/tmp/ips.keyval"));
        assertThat(ips.sync()).isFalse();
        assertThat(c.stream().zone("paths").orElseThrow().type()).isEqualTo(KeyvalType.PREFIX);
        assertThat(c.stream().variables().get(0).keyExpression()).isEqualTo("${host}x");
    }

    @Test
    void errors() {
        assertError("http {\n keyval_zone zone=one:abc;\n}\n", "invalid zone size \"one:abc\"", 2);
        assertError("http {\n keyval_zone zone=one:16k;\n}\n",
                "zone \"one\" is too small: 16384 bytes, the minimum is 32768 bytes (32k)", 2);
        assertError("http {\n keyval_zone zone=one:32k color=red;\n}\n",
                "invalid parameter \"color=red\" in \"keyval_zone\" directive", 2);
        assertError("http {\n keyval_zone state=x timeout=1s;\n}\n", "\"keyval_zone\" must have \"zone\" parameter", 2);
        assertError("http {\n keyval_zone zone=one:32k timeout=soon;\n}\n",
                "invalid timeout \"soon\" in \"keyval_zone\" directive, it must be a positive time such as 30s or 1h", 2);
        assertError("http {\n keyval_zone zone=one:32k timeout=0;\n}\n",
                "invalid timeout \"0\" in \"keyval_zone\" directive, it must be a positive time such as 30s or 1h", 2);
        assertError("http {\n keyval_zone zone=one:32k type=cidr;\n}\n",
                "invalid type \"cidr\" in \"keyval_zone\" directive, it must be \"string\", \"ip\" or \"prefix\"", 2);
        assertError("http {\n keyval_zone zone=one:32k sync sync;\n}\n",
                "duplicate parameter \"sync\" in \"keyval_zone\" directive", 2);
        assertError("http {\n keyval_zone zone=one:32k;\n keyval_zone zone=one:64k;\n}\n",
                "the size 65536 of shared memory zone \"one\" conflicts with already declared size 32768", 3);
        assertError("http {\n keyval_zone zone=one:32k;\n keyval_zone zone=one:32k type=ip;\n}\n",
                "the type=ip of keyval zone \"one\" conflicts with already declared type=string", 3);
        assertError("http {\n keyval_zone zone=one:32k;\n keyval_zone zone=one:32k;\n}\n",
                "duplicate zone \"one\", already declared at " + prefix.resolve("zonesync.conf") + ":2", 3);
        assertError("http {\n keyval_zone zone=one:32k;\n keyval $a $v zone=two;\n}\n",
                "unknown keyval zone \"two\" in \"keyval\" directive, no \"keyval_zone zone=two:size\" is declared here", 3);
        assertError("http {\n keyval_zone zone=one:32k;\n keyval $a v zone=one;\n}\n",
                "invalid variable name \"v\" in \"keyval\" directive, it must start with \"$\"", 3);
        assertError("http {\n keyval_zone zone=one:32k;\n keyval $a $v one;\n}\n",
                "invalid parameter \"one\" in \"keyval\" directive, it must be \"zone=name\"", 3);
        assertError("http {\n keyval_zone zone=one:32k;\n keyval $a $v zone=one;\n keyval $b $v zone=one;\n}\n",
                "the duplicate \"v\" variable, already defined at " + prefix.resolve("zonesync.conf") + ":3", 4);
        assertError("http {\n keyval_zone zone=a:32k state=s.keyval;\n keyval_zone zone=b:32k state=./s.keyval;\n}\n",
                "state file \"" + prefix.resolve("s.keyval") + "\" of keyval zone \"b\" is already used by zone \"a\" at "
                        + prefix.resolve("zonesync.conf") + ":2", 3);
        assertError("http {\n keyval_zone zone=one:32k;\n}\nstream {\n keyval_zone zone=one:32k;\n}\n",
                "the shared memory zone \"one\" is already declared for a different use (keyval_zone in http at "
                        + prefix.resolve("zonesync.conf") + ":2)", 5);
    }

    @Test
    void registryRejectsMisplacedAndWrongArity() {
        assertThatThrownBy(() -> parse("keyval_zone zone=one:32k;\n"))
                .hasMessageContaining("\"keyval_zone\" directive is not allowed here");
        assertThatThrownBy(() -> parse("http {\n keyval $a $b;\n}\n"))
                .hasMessageContaining("invalid number of arguments in \"keyval\" directive");
    }

    @Test
    void compilesASingleBlock() throws Exception {
        Block block = ConfigParser.parseString("keyval_zone zone=z:32k state=z.kv;", "test");
        KeyvalConfig c = KeyvalConfig.compile(block, p -> Path.of("/prefix").resolve(p));
        assertThat(c.zones().get(0).stateFile()).isEqualTo(Path.of("/prefix/z.kv"));
    }
}
