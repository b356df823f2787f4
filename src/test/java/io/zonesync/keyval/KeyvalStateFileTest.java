package io.zonesync.keyval;

import io.zonesync.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zonesync.zone.Stamp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyvalStateFileTest {
    private static final long T0 = 1_700_000_000_000L;
    private final MutableClock clock = new MutableClock(T0);
    private final TestStamps stamps = new TestStamps(clock, 7);
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private KeyvalZone zone(long timeout, boolean sync) {
        return new KeyvalZone("one", KeyvalZone.MIN_SIZE, KeyvalType.STRING, timeout, sync, clock, stamps);
    }

    private KeyvalStateFile open(KeyvalZone z, Path file) throws Exception {
        return KeyvalStateFile.open(z, file, executor, 50);
    }

    @Test
    void roundTripKeepsValuesExpiresStampsAndTombstones() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = zone(60_000, true);
        KeyvalStateFile state = open(z, file);
        z.set("a", "1");
        z.set(new KeyvalWrite("b", "ü \"quoted\"", 5_000));
        z.set("gone", "x");
        z.remove("gone");
        z.persist();
        state.close();
        assertThat(Files.readString(file)).contains("\"a\":{\"value\":\"1\",\"expire\":" + (T0 + 60_000));

        clock.advance(1_000);
        KeyvalZone back = zone(60_000, true);
        open(back, file);
        assertThat(back.pairs()).containsExactlyElementsOf(z.pairs());
        assertThat(back.records()).hasSize(3);
        assertThat(back.record("gone").isDelete()).isTrue();
        assertThat(back.record("a").stamp()).isEqualTo(z.record("a").stamp());
        assertThat(back.usedBytes()).isEqualTo(z.usedBytes());
    }

    @Test
    void expiredEntriesAreDroppedOnLoad() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = zone(10_000, false);
        open(z, file);
        z.set(new KeyvalWrite("short", "v", 1_000));
        z.set("long", "v");
        z.persist();
        clock.advance(5_000);
        KeyvalZone back = zone(10_000, false);
        open(back, file);
        assertThat(back.pairs()).extracting(KeyvalPair::key).containsExactly("long");
    }

    @Test
    void missingFileIsAnEmptyZone() throws Exception {
        KeyvalZone z = zone(0, false);
        open(z, dir.resolve("new.keyval"));
        assertThat(z.isEmpty()).isTrue();
        assertThat(dir.resolve("new.keyval")).doesNotExist();
    }

    @Test
    void fileWithoutStampsOrExpireLoadsLikeNjs() throws Exception {
        Path file = dir.resolve("one.keyval");
        Files.writeString(file, "{\"k\":{\"value\":\"v\"}}");
        KeyvalZone z = zone(30_000, true);
        open(z, file);
        assertThat(z.pairs()).containsExactly(new KeyvalPair("k", "v", T0 + 30_000));
        assertThat(z.record("k").stamp()).isEqualTo(Stamp.ZERO);
    }

    @Test
    void corruptJsonNamesTheFileAndTheSpot() throws Exception {
        Path file = dir.resolve("bad.keyval");
        Files.writeString(file, "{\"k\":{\"value\":\"v\"},\n\"x\": ");
        assertThatThrownBy(() -> open(zone(0, false), file))
                .isInstanceOf(KeyvalStateFileException.class)
                .hasMessageStartingWith("state file \"" + file + "\" of keyval zone \"one\" is not valid JSON at line 2");
    }

    @Test
    void wrongShapesAreNamed() throws Exception {
        Path file = dir.resolve("bad.keyval");
        String[][] cases = {
            {"[1,2]", "must hold a JSON object of keys, not array"},
            {"{\"k\":\"v\"}", "has key \"k\" whose entry is not an object"},
            {"{\"k\":{\"value\":3}}", "has key \"k\" without a string \"value\""},
            {"{\"k\":{\"value\":\"v\",\"expire\":\"soon\"}}", "has key \"k\" with invalid \"expire\" \"soon\""},
            {"{\"k\":{\"value\":\"v\",\"stamp\":[1]}}", "has key \"k\" with invalid \"stamp\" [1]"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            assertThatThrownBy(() -> open(zone(0, false), file)).as(c[0])
                    .isInstanceOf(KeyvalStateFileException.class)
                    .hasMessage("state file \"" + file + "\" of keyval zone \"one\" " + c[1]);
        }
    }

    @Test
    void pairsThatDoNotFitOrDoNotMatchTheTypeAreRefused() throws Exception {
        Path file = dir.resolve("big.keyval");
        Files.writeString(file, "{\"k\":{\"value\":\"" + "x".repeat(40_000) + "\"}}");
        assertThatThrownBy(() -> open(zone(0, false), file))
                .hasMessageContaining("cannot be loaded: zone \"one\" of 32768 bytes is too small for the 40065 bytes");
        Files.writeString(file, "{\"not-ip\":{\"value\":\"v\"}}");
        KeyvalZone ip = new KeyvalZone("one", KeyvalZone.MIN_SIZE, KeyvalType.IP, 0, false, clock, stamps);
        assertThatThrownBy(() -> KeyvalStateFile.open(ip, file, executor, 50))
                .hasMessageContaining("invalid key format \"not-ip\"");
    }

    @Test
    void missingDirectoryIsAnErrorAtOpen() {
        Path file = dir.resolve("no/such/dir/one.keyval");
        assertThatThrownBy(() -> open(zone(0, false), file))
                .hasMessageContaining("cannot be written: directory \"" + dir.resolve("no/such/dir") + "\" does not exist");
    }

    @Test
    void saveLeavesNoTemporaryFilesAndSkipsWhenNothingChanged() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = zone(0, false);
        KeyvalStateFile state = open(z, file);
        z.set("a", "1");
        state.flushNow();
        Files.writeString(file, "{}"); // a marker: an unneeded save would overwrite it
        state.flushNow();
        assertThat(Files.readString(file)).isEqualTo("{}");
        z.set("b", "2");
        state.flushNow();
        assertThat(Files.readString(file)).contains("\"b\"");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void remoteChangesAreSavedInTheBackground() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = zone(0, true);
        open(z, file);
        for (int i = 0; i < 100; i++) {
            z.applyRemote("r" + i, "v", 0, new Stamp(Stamp.hlc(T0 + 1000, i), 2));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file)
                && Files.readString(file, StandardCharsets.UTF_8).contains("\"r99\""));
    }

    @Test
    void closeSavesWhatIsLeft() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = zone(0, false);
        KeyvalStateFile state = KeyvalStateFile.open(z, file, executor, 3_600_000);
        z.set("a", "1");
        assertThat(file).doesNotExist();
        state.close();
        assertThat(Files.readString(file)).contains("\"a\"");
    }
}
