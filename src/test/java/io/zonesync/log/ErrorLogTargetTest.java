package io.zonesync.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Directive;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ErrorLogTargetTest {
    private static final Path PREFIX = Path.of("/opt/zs");

    private static ErrorLogTarget parse(String text) throws ConfigException {
        Directive d = ConfigParser.parseString(text, "t.conf").first("error_log");
        return ErrorLogTarget.parse(d, PREFIX::resolve);
    }

    @Test
    void fileRelativeToThePrefixAtErrorByDefault() throws Exception {
        assertThat(parse("error_log logs/e.log;")).isEqualTo(ErrorLogTarget.file(Path.of("/opt/zs/logs/e.log"),
                Severity.ERROR));
        assertThat(parse("error_log /var/log/x.log notice;")).isEqualTo(ErrorLogTarget.file(Path.of("/var/log/x.log"),
                Severity.NOTICE));
        assertThat(parse("error_log stderr warn;")).isEqualTo(ErrorLogTarget.stderr(Severity.WARN));
    }

    @Test
    void badLevelsAndUnsupportedTargetsNameTheValueAndTheLine() {
        assertThatThrownBy(() -> parse("\nerror_log x.log loud;")).hasMessage(
                "invalid log level \"loud\" in \"error_log\" directive, it must be one of debug, info, notice, warn,"
                        + " error, crit, alert, emerg in t.conf:2");
        assertThatThrownBy(() -> parse("error_log syslog:server=1.2.3.4;")).hasMessage(
                "\"syslog:\" error logs are not supported in \"error_log\" directive, use a file or \"stderr\""
                        + " in t.conf:1");
        assertThatThrownBy(() -> parse("error_log memory:32m debug;")).hasMessageStartingWith("\"memory:\"");
    }

    @Test
    void dashEResolvesAgainstThePrefix() {
        assertThat(ErrorLogTarget.of("stderr", PREFIX, Severity.NOTICE).isStderr()).isTrue();
        assertThat(ErrorLogTarget.of("x/e.log", PREFIX, Severity.NOTICE).file()).isEqualTo(Path.of("/opt/zs/x/e.log"));
        assertThat(ErrorLogTarget.of("/e.log", PREFIX, Severity.NOTICE).describe()).isEqualTo("/e.log");
    }
}
