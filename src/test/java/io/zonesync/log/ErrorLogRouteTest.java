package io.zonesync.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.SourceLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/** A route's lines go to its own logs, each at its level, and not to the main ones. */
class ErrorLogRouteTest {
    private static final Logger LOG = LoggerFactory.getLogger("test.route");

    @TempDir
    Path dir;
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private ErrorLog log;

    @BeforeEach
    void install() throws Exception {
        log = ErrorLog.install(new PrintStream(terminal, true, StandardCharsets.UTF_8));
        log.activate(log.open(List.of(ErrorLogTarget.file(dir.resolve("main.log"), Severity.DEBUG))));
    }

    @AfterEach
    void restore() {
        log.close();
    }

    private static Directive errorLog(String... args) {
        return new Directive("error_log", List.of(args), new SourceLocation("r.conf", 3), null);
    }

    private Marker route(Directive... logs) throws ConfigException, java.io.IOException {
        Marker m = ErrorLogRoute.compile(List.of(logs), dir::resolve).marker();
        log.activate(log.open(log.targets())); // as a reload does: the root level follows the routes
        return m;
    }

    @Test
    void eachLogOfTheRouteKeepsItsLevelAndTheMainLogGetsNone() throws Exception {
        Marker site = route(errorLog("site-notice.log", "notice"), errorLog("site-error.log"));
        LOG.info(site, "an info");
        Severity.NOTICE.log(LOG, site, "a notice");
        LOG.error(site, "an error");
        LOG.error("a line of no request");
        assertThat(Files.readString(dir.resolve("site-notice.log"))).doesNotContain("an info")
                .contains("[notice]", "a notice", "[error]", "an error");
        assertThat(Files.readString(dir.resolve("site-error.log"))).doesNotContain("a notice").contains("an error");
        assertThat(Files.readString(dir.resolve("main.log"))).contains("a line of no request")
                .doesNotContain("an error", "a notice");
    }

    @Test
    void sameLogsShareOneRoute() throws Exception {
        assertThat(route(errorLog("x.log", "warn"))).isSameAs(route(errorLog("x.log", "warn")));
        assertThat(route(errorLog("x.log", "warn"))).isNotSameAs(route(errorLog("x.log", "error")));
    }

    /** After logrotate moves a route's file away, a reopen writes a new one by the name. */
    @Test
    void reopenFollowsTheName() throws Exception {
        Marker site = route(errorLog("rotated.log"));
        LOG.error(site, "before");
        Files.move(dir.resolve("rotated.log"), dir.resolve("rotated.log.1"));
        log.reopen();
        LOG.error(site, "after");
        assertThat(Files.readString(dir.resolve("rotated.log.1"))).contains("before").doesNotContain("after");
        assertThat(Files.readString(dir.resolve("rotated.log"))).contains("after");
    }

    @Test
    void aFileThatCannotBeOpenedIsAnErrorAtItsLine() throws Exception {
        assertThatThrownBy(() -> route(errorLog("no/such/dir/x.log"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("open() \"" + dir.resolve("no/such/dir/x.log") + "\" failed")
                .hasMessageContaining("r.conf:3");
    }
}
