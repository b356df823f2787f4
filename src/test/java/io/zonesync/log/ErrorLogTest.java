package io.zonesync.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class ErrorLogTest {
    private static final Logger LOG = LoggerFactory.getLogger("test.errorlog");
    private static final String LINE = "\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} \\[%s\\] "
            + ProcessHandle.current().pid() + "#\\d+: %s";

    @TempDir
    Path dir;
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private ErrorLog log;

    @BeforeEach
    void install() {
        log = ErrorLog.install(new PrintStream(terminal, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        log.close();
    }

    private String terminal() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file);
    }

    private void use(ErrorLogTarget... targets) throws Exception {
        log.activate(log.open(List.of(targets)));
    }

    @Test
    void writesNginxLines() throws Exception {
        Path file = dir.resolve("error.log");
        use(ErrorLogTarget.file(file, Severity.DEBUG));
        Severity.NOTICE.log(LOG, "reconfigured from {}", "x.conf");
        LOG.error(LogMarkers.EMERG, "it broke");
        assertThat(lines(file)).hasSize(2);
        assertThat(lines(file).get(0)).matches(String.format(LINE, "notice", "reconfigured from x\\.conf"));
        assertThat(lines(file).get(1)).matches(String.format(LINE, "emerg", "it broke"));
    }

    @Test
    void everyLevelMapsToItsNginxName() throws Exception {
        Path file = dir.resolve("error.log");
        use(ErrorLogTarget.file(file, Severity.DEBUG));
        for (Severity s : Severity.values()) {
            s.log(LOG, "at {}", s.label());
        }
        LOG.trace("trace is below debug and is not written");
        List<String> lines = lines(file);
        assertThat(lines).hasSize(Severity.values().length);
        for (int i = 0; i < lines.size(); i++) {
            String name = Severity.values()[i].label();
            assertThat(lines.get(i)).matches(String.format(LINE, name, "at " + name));
        }
    }

    @Test
    void noticeLevelShowsNoticesButNotInfos() throws Exception {
        Path file = dir.resolve("error.log");
        use(ErrorLogTarget.file(file, Severity.NOTICE));
        LOG.info("plain info");
        LOG.info(LogMarkers.NOTICE, "a notice");
        LOG.warn("a warning");
        LOG.debug("debugging");
        assertThat(String.join("\n", lines(file))).contains("a notice", "a warning")
                .doesNotContain("plain info", "debugging");
    }

    @Test
    void critLevelDropsPlainErrors() throws Exception {
        Path file = dir.resolve("error.log");
        use(ErrorLogTarget.file(file, Severity.CRIT));
        LOG.error("plain error");
        LOG.error(LogMarkers.CRIT, "critical");
        LOG.error(LogMarkers.ALERT, "alert");
        assertThat(String.join("\n", lines(file))).contains("[crit] ", "critical", "[alert] ")
                .doesNotContain("plain error");
    }

    @Test
    void eachLogHasItsOwnLevel() throws Exception {
        Path debug = dir.resolve("debug.log");
        Path errors = dir.resolve("errors.log");
        use(ErrorLogTarget.file(debug, Severity.DEBUG), ErrorLogTarget.file(errors, Severity.ERROR));
        LOG.debug("detail");
        LOG.error("failure");
        assertThat(lines(debug)).hasSize(2);
        assertThat(lines(errors)).hasSize(1);
        assertThat(lines(errors).get(0)).contains("failure");
    }

    @Test
    void startupEchoesWarningsToTheTerminalUntilTheNodeIsUp() throws Exception {
        Path file = dir.resolve("error.log");
        log.useStartupLog(ErrorLogTarget.file(file, Severity.NOTICE));
        LOG.error(LogMarkers.EMERG, "unknown directive \"foo\" in /x.conf:3");
        Severity.NOTICE.log(LOG, "only in the file");
        log.endStartup();
        LOG.error("after start");
        assertThat(terminal()).isEqualTo("zonesync: [emerg] unknown directive \"foo\" in /x.conf:3\n");
        assertThat(String.join("\n", lines(file))).contains("only in the file", "after start", "[emerg] ");
    }

    @Test
    void aStderrLogIsNotEchoedTwice() throws Exception {
        log.useStartupLog(ErrorLogTarget.stderr(Severity.NOTICE));
        LOG.error(LogMarkers.EMERG, "once");
        assertThat(terminal()).matches(String.format(LINE, "emerg", "once") + "\n");
    }

    @Test
    void anUnopenableStartupLogFallsBackToStderr() {
        Path file = dir.resolve("missing/dir/error.log");
        log.useStartupLog(ErrorLogTarget.file(file, Severity.NOTICE));
        LOG.error("still seen");
        assertThat(terminal()).startsWith("zonesync: [alert] could not open error log file: open() \"" + file
                + "\" failed (2: No such file or directory)\n");
        assertThat(terminal()).contains("[error] ", "still seen");
    }

    @Test
    void openFailureNamesTheFileAndLeavesTheCurrentLogsAlone() throws Exception {
        Path good = dir.resolve("good.log");
        use(ErrorLogTarget.file(good, Severity.INFO));
        Path bad = dir.resolve("nope/bad.log");
        assertThatThrownBy(() -> log.open(List.of(ErrorLogTarget.file(dir.resolve("other.log"), Severity.INFO),
                ErrorLogTarget.file(bad, Severity.INFO))))
                .hasMessage("open() \"" + bad + "\" failed (2: No such file or directory)");
        LOG.info("kept");
        assertThat(lines(good)).anySatisfy(l -> assertThat(l).endsWith(": kept"));
        assertThat(log.targets()).extracting(ErrorLogTarget::file).containsExactly(good);
    }

    @Test
    void reopenStartsANewFileAfterTheOldOneWasMovedAway() throws Exception {
        Path file = dir.resolve("error.log");
        Path rotated = dir.resolve("error.log.1");
        use(ErrorLogTarget.file(file, Severity.INFO));
        LOG.info("before rotation");
        Files.move(file, rotated);
        LOG.info("still into the moved file");
        log.reopen();
        LOG.info("after reopen");
        assertThat(String.join("\n", lines(rotated))).contains("before rotation", "still into the moved file")
                .doesNotContain("after reopen");
        assertThat(lines(file)).hasSize(1);
        assertThat(lines(file).get(0)).endsWith(": after reopen");
    }

    @Test
    void aFailedReopenKeepsWritingToTheOldFile() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = sub.resolve("error.log");
        use(ErrorLogTarget.file(file, Severity.INFO));
        Path moved = Files.move(sub, dir.resolve("moved"));
        log.reopen();
        LOG.info("after failed reopen");
        assertThat(String.join("\n", lines(moved.resolve("error.log"))))
                .contains("[alert] ", "reopening error log \"" + file + "\" failed", "after failed reopen");
    }

    @Test
    void switchingLogsClosesThePreviousOnes() throws Exception {
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        use(ErrorLogTarget.file(first, Severity.INFO));
        use(ErrorLogTarget.file(second, Severity.INFO));
        LOG.info("to the second");
        assertThat(lines(first)).isEmpty();
        assertThat(lines(second)).hasSize(1);
    }

    @Test
    void stackTracesFollowTheLineInTheFile() throws Exception {
        Path file = dir.resolve("error.log");
        use(ErrorLogTarget.file(file, Severity.ERROR));
        LOG.error("failed", new IllegalStateException("boom"));
        List<String> lines = lines(file);
        assertThat(lines.get(0)).endsWith(": failed");
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: boom");
    }
}
