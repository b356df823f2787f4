package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What -t checks beyond the syntax, as nginx -t does. */
class NodeCheckTest {
    @TempDir
    Path dir;

    private void check(String http) throws Exception {
        Path conf = Files.writeString(dir.resolve("zonesync.conf"), "events { }\nhttp {\n" + http + "\n}\n");
        Node.check(ConfigParser.parseFile(conf, dir, null));
    }

    @Test
    void anAccessLogThatCannotBeOpenedFailsTheTestAndOneThatCanIsCreated() throws Exception {
        assertThatThrownBy(() -> check("server { listen 127.0.0.1:0; access_log nowhere/a.log; }"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("open() \"" + dir.resolve("nowhere/a.log") + "\" failed (2: No such file or directory)");
        check("server { listen 127.0.0.1:0; access_log a.log; }");
        assertThat(dir.resolve("a.log")).exists();
    }

    @Test
    void theSyntaxCheckPassesAndTheFileCheckAfterItFails() throws Exception {
        Path conf = Files.writeString(dir.resolve("zonesync.conf"),
                "events { }\nhttp {\nserver { listen 127.0.0.1:0; access_log nowhere/a.log; }\n}\n");
        Node.FileCheck files = Node.checkSyntax(ConfigParser.parseFile(conf, dir, null));
        assertThatThrownBy(files::run).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("open() \"" + dir.resolve("nowhere/a.log") + "\" failed");
    }

    @Test
    void aResolverNamedByAHostThatDoesNotResolveFailsTheCheckAsInNginx() throws Exception {
        assertThatThrownBy(() -> check("resolver nonexistent.invalid;"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("host not found in resolver \"nonexistent.invalid\" in " + dir.resolve("zonesync.conf") + ":3");
        check("resolver localhost:5353 valid=5s;");
    }
}
