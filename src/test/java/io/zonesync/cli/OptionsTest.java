package io.zonesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void nothingMeansRun() throws Exception {
        Options o = Options.parse();
        assertThat(o).isEqualTo(new Options(false, false, false, false, false, false, null, null, null, null, null));
    }

    @Test
    void flagsBundleAsInNginx() throws Exception {
        Options o = Options.parse("-tq");
        assertThat(o.test()).isTrue();
        assertThat(o.quiet()).isTrue();
        assertThat(o.dump()).isFalse();
        Options t = Options.parse("-T");
        assertThat(t.test()).isTrue();
        assertThat(t.dump()).isTrue();
    }

    @Test
    void helpAndVersionFlags() throws Exception {
        assertThat(Options.parse("-h").help()).isTrue();
        assertThat(Options.parse("-?").help()).isTrue();
        assertThat(Options.parse("-h").version()).isTrue();
        assertThat(Options.parse("-v").version()).isTrue();
        assertThat(Options.parse("-v").buildInfo()).isFalse();
        assertThat(Options.parse("-V").buildInfo()).isTrue();
        assertThat(Options.parse("-V").version()).isTrue();
    }

    @Test
    void valuesAttachedOrSeparateAndTheLastOneWins() throws Exception {
        Options o = Options.parse("-p", "/a", "-c/etc/z.conf", "-e", "stderr", "-g", "daemon off;", "-squit",
                "-p/b");
        assertThat(o.prefix()).isEqualTo("/b");
        assertThat(o.confFile()).isEqualTo("/etc/z.conf");
        assertThat(o.errorLog()).isEqualTo("stderr");
        assertThat(o.globals()).isEqualTo("daemon off;");
        assertThat(o.signal()).isEqualTo(NodeSignal.QUIT);
    }

    @Test
    void aValueEndsTheBundle() throws Exception {
        Options o = Options.parse("-tc", "x.conf");
        assertThat(o.test()).isTrue();
        assertThat(o.confFile()).isEqualTo("x.conf");
        assertThat(Options.parse("-ctq").confFile()).isEqualTo("tq");
    }

    @Test
    void everySignalCommand() throws Exception {
        assertThat(Options.parse("-s", "stop").signal()).isEqualTo(NodeSignal.STOP);
        assertThat(Options.parse("-s", "quit").signal()).isEqualTo(NodeSignal.QUIT);
        assertThat(Options.parse("-s", "reload").signal()).isEqualTo(NodeSignal.RELOAD);
        assertThat(Options.parse("-s", "reopen").signal()).isEqualTo(NodeSignal.REOPEN);
    }

    @Test
    void aLoneDashIsIgnoredLikeNginxDoes() throws Exception {
        assertThat(Options.parse("-").test()).isFalse();
    }

    @Test
    void errorsUseNginxWording() {
        assertError("invalid option: \"x\"", "-x");
        assertError("invalid option: \"x\"", "-tx");
        assertError("invalid option: \"foo\"", "foo");
        assertError("invalid option: \"-s restart\"", "-s", "restart");
        assertError("option \"-s\" requires parameter", "-s");
        assertError("option \"-p\" requires directory name", "-p");
        assertError("option \"-c\" requires file name", "-t", "-c");
        assertError("option \"-e\" requires file name", "-e");
        assertError("option \"-g\" requires parameter", "-g");
    }

    private static void assertError(String message, String... args) {
        assertThatThrownBy(() -> Options.parse(args)).isInstanceOf(Options.UsageException.class).hasMessage(message);
    }
}
