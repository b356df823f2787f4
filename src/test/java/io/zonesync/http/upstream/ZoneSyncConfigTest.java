package io.zonesync.http.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What -t says of {@code zone NAME [size] sync} in upstream blocks; errors name FILE:LINE. */
class ZoneSyncConfigTest {
    @TempDir
    Path dir;

    private ParsedConfig parse(String text) throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        Path file = dir.resolve("t.conf");
        Files.writeString(file, "error_log stderr error;\n" + text);
        return ConfigParser.parseFile(file, dir, null);
    }

    private static String http(String upstreams) {
        return "http {\n" + upstreams + "server { listen 127.0.0.1:0; location / { proxy_pass http://a; } }\n}\n";
    }

    private ConfigException error(String text) throws Exception {
        ConfigException e = catchThrowableOfType(() -> Node.check(parse(text)), ConfigException.class);
        assertThat(e).as("an error for: " + text).isNotNull();
        assertThat(e.where().file()).endsWith("t.conf");
        return e;
    }

    @Test
    void syncIsAcceptedAfterTheNameOrTheSize() {
        assertThatCode(() -> Node.check(parse(http("upstream a { zone z 64k sync; server 127.0.0.1:1; }\n"
                + "upstream b { zone z sync; server 127.0.0.1:2; }\n")))).doesNotThrowAnyException();
    }

    @Test
    void upstreamsSharingAZoneMustAgreeOnSync() throws Exception {
        ConfigException e = error(http("upstream a { zone z 64k sync; server 127.0.0.1:1; }\n"
                + "upstream b { zone z; server 127.0.0.1:2; }\n"));
        assertThat(e.where().line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("upstreams sharing zone \"z\" disagree on \"sync\"").contains("t.conf:3");
    }

    @Test
    void anythingElseAfterTheSizeIsRefused() throws Exception {
        ConfigException e = error(http("upstream a { zone z 64k 32k; server 127.0.0.1:1; }\n"));
        assertThat(e.where().line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("invalid parameter \"32k\"");
    }

    @Test
    void aStreamUpstreamZoneSyncsAndItsNamesFollowTheSameRules() throws Exception {
        assertThatCode(() -> Node.check(parse("stream {\n upstream s { zone z 64k sync; server 127.0.0.1:1; }\n"
                + " server { listen 127.0.0.1:0; proxy_pass s; }\n}\n"))).doesNotThrowAnyException();
        ConfigException e = error("stream {\n upstream s { zone z sync; server 127.0.0.1:1; }\n"
                + " upstream t { zone z; server 127.0.0.1:2; }\n server { listen 127.0.0.1:0; proxy_pass s; }\n}\n");
        assertThat(e.where().line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("upstreams sharing zone \"z\" disagree on \"sync\"");
    }
}
