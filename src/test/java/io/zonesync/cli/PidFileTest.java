package io.zonesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.log.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
    @TempDir
    Path dir;

    @Test
    void readsAPidWithLineEnds() throws Exception {
        Path file = Files.writeString(dir.resolve("z.pid"), "4711\r\n");
        assertThat(PidFile.read(file)).isEqualTo(4711);
    }

    @Test
    void missingAndInvalidFilesGiveNginxsErrors() throws Exception {
        Path file = dir.resolve("z.pid");
        assertFailure(file, "open() \"" + file + "\" failed (2: No such file or directory)");
        Files.writeString(file, "");
        assertFailure(file, "invalid PID number \"\" in \"" + file + "\"");
        Files.writeString(file, "12ab\n");
        assertFailure(file, "invalid PID number \"12ab\" in \"" + file + "\"");
        Files.writeString(file, "-5\n");
        assertFailure(file, "invalid PID number \"-5\" in \"" + file + "\"");
        Files.writeString(file, "0\n"); // kill(0) would signal our own process group
        assertFailure(file, "invalid PID number \"0\" in \"" + file + "\"");
    }

    private static void assertFailure(Path file, String message) {
        assertThatThrownBy(() -> PidFile.read(file)).isInstanceOf(CommandFailure.class).hasMessage(message)
                .satisfies(e -> assertThat(((CommandFailure) e).severity()).isEqualTo(Severity.ERROR));
    }

    @Test
    void claimWritesAndReleaseRemovesOnlyOurOwnPid() throws Exception {
        Path file = dir.resolve("z.pid");
        PidFile.claim(file, 1234);
        assertThat(Files.readString(file)).isEqualTo("1234\n");
        PidFile.release(file, 999);
        assertThat(file).exists();
        PidFile.release(file, 1234);
        assertThat(file).doesNotExist();
    }

    @Test
    void aStaleOrForeignPidFileIsOverwritten() throws Exception {
        Path file = dir.resolve("z.pid");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor(10, TimeUnit.SECONDS);
        Files.writeString(file, dead.pid() + "\n");
        PidFile.claim(file, 1234);
        assertThat(Files.readString(file)).isEqualTo("1234\n");
        Process notZonesync = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(file, notZonesync.pid() + "\n");
            PidFile.claim(file, 1234);
            assertThat(Files.readString(file)).isEqualTo("1234\n");
        } finally {
            notZonesync.destroy();
        }
        Files.writeString(file, "garbage");
        PidFile.claim(file, 1234);
        assertThat(Files.readString(file)).isEqualTo("1234\n");
    }

    @Test
    void aRunningZonesyncKeepsItsPidFile() throws Exception {
        Path file = dir.resolve("z.pid");
        // "zonesync" in its command line, and a shell that does not replace itself with sleep
        Process other = new ProcessBuilder("bash", "-c", "sleep 30; true", "zonesync").start();
        try {
            Files.writeString(file, other.pid() + "\n");
            assertThatThrownBy(() -> PidFile.claim(file, 1234)).isInstanceOf(CommandFailure.class)
                    .hasMessage("pid file \"" + file + "\" names process " + other.pid() + ", a zonesync that is"
                            + " still running: stop it first (\"zonesync -s stop\"), or give this node another \"pid\"");
            assertThat(Files.readString(file)).isEqualTo(other.pid() + "\n");
        } finally {
            other.destroy();
        }
    }

    @Test
    void anUnwritablePlaceIsAnEmerg() {
        Path file = dir.resolve("no/such/dir/z.pid");
        assertThatThrownBy(() -> PidFile.claim(file, 1)).isInstanceOf(CommandFailure.class)
                .hasMessage("open() \"" + file + "\" failed (2: No such file or directory)")
                .satisfies(e -> assertThat(((CommandFailure) e).severity()).isEqualTo(Severity.EMERG));
    }
}
